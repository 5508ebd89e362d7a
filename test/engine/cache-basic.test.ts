import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, CacheStateError, InvalidOptionError, InvalidValueError, MissingKeyError } from '../../engine/index.js';
import { fakeClock, openCache, tempDir } from './helpers.js';

describe('Cache basics', () => {
  it('opens a temp directory when none is given', () => {
    const cache = new Cache();
    try {
      expect(cache.directory.startsWith(tmpdir())).toBe(true);
      expect(existsSync(join(cache.directory, 'cache.db'))).toBe(true);
    } finally {
      cache.close();
      rmSync(cache.directory, { recursive: true, force: true });
    }
  });

  it('set/get/has/delete', () => {
    const cache = openCache();
    expect(cache.get('a')).toBeUndefined();
    expect(cache.set('a', 'x')).toBe(true);
    expect(cache.get('a')).toBe('x');
    expect(cache.has('a')).toBe(true);
    expect(cache.set('a', 'y')).toBe(true);
    expect(cache.get('a')).toBe('y');
    expect(cache.length).toBe(1);
    expect(cache.delete('a')).toBe(true);
    expect(cache.delete('a')).toBe(false);
    expect(cache.has('a')).toBe(false);
    expect(cache.length).toBe(0);
  });

  it('get with default and entry form', () => {
    const cache = openCache();
    expect(cache.get('missing', { default: 7 })).toBe(7);
    cache.set('t', 'v', { tag: 'red' });
    expect(cache.get('t', { tag: true })).toEqual({ value: 'v', expireTime: null, tag: 'red' });
    expect(cache.get('missing', { expireTime: true, default: 0 })).toEqual({ value: 0, expireTime: null, tag: null });
  });

  it('add stores only when absent', () => {
    const cache = openCache();
    expect(cache.add('k', 1)).toBe(true);
    expect(cache.add('k', 2)).toBe(false);
    expect(cache.get('k')).toBe(1);
  });

  it('incr and decr, with defaults and errors', () => {
    const cache = openCache();
    expect(cache.incr('n')).toBe(1);
    expect(cache.incr('n', 10)).toBe(11);
    expect(cache.decr('n', 2)).toBe(9);
    expect(cache.decr('m', 1, { default: 100 })).toBe(99);
    expect(cache.get('n')).toBe(9);
    expect(() => cache.incr('none', 1, { default: null })).toThrow(MissingKeyError);
    cache.set('s', 'text');
    expect(() => cache.incr('s')).toThrow(InvalidValueError);
    expect(() => cache.incr('n', NaN)).toThrow(InvalidOptionError);
  });

  it('pop returns and removes', () => {
    const cache = openCache();
    cache.set('p', [1, 2], { tag: 'x' });
    expect(cache.pop('p', { tag: true })).toEqual({ value: [1, 2], expireTime: null, tag: 'x' });
    expect(cache.pop('p')).toBeUndefined();
    expect(cache.pop('p', { default: 'd' })).toBe('d');
  });

  it('keys iterates live keys and tolerates writes while iterating', () => {
    const cache = openCache();
    for (let i = 0; i < 250; i++) cache.set(i, i);
    const seen: unknown[] = [];
    for (const key of cache.keys()) {
      seen.push(key);
      // Keys are read in pages of 100: a key deleted from a later page is not seen.
      if (key === 10) cache.delete(150);
    }
    expect(seen.length).toBe(249);
    expect(seen).not.toContain(150);
    expect([...cache].length).toBe(249);
  });

  it('clear, evict by tag, volume', () => {
    const cache = openCache({ tagIndex: true });
    for (let i = 0; i < 150; i++) cache.set(i, 'v', { tag: i % 2 === 0 ? 'even' : 'odd' });
    expect(cache.volume()).toBeGreaterThan(0);
    expect(cache.evict('even')).toBe(75);
    expect(cache.length).toBe(75);
    expect(cache.get(1)).toBe('v');
    expect(cache.get(2)).toBeUndefined();
    expect(cache.clear()).toBe(75);
    expect(cache.length).toBe(0);
  });

  it('validates tag and expire options', () => {
    const cache = openCache();
    expect(() => cache.set('a', 1, { tag: 5 as never })).toThrow(/tag/);
    expect(() => cache.set('a', 1, { expire: NaN })).toThrow(/expire/);
    expect(() => cache.set('a', 1, { expire: '5' as never })).toThrow(/expire/);
  });

  it('throws CacheStateError after close', () => {
    const cache = openCache();
    cache.set('a', 1);
    cache.close();
    expect(() => cache.get('a')).toThrow(CacheStateError);
    expect(() => cache.set('a', 2)).toThrow(CacheStateError);
    cache.close(); // idempotent
  });

  it('stats counts hits and misses only when enabled', () => {
    const cache = openCache();
    cache.set('a', 1);
    cache.get('a');
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, evictions: 0 });
    cache.stats({ enable: true });
    cache.get('a');
    cache.get('a');
    cache.get('b');
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, evictions: 0 });
    expect(cache.stats({ reset: true })).toMatchObject({ hits: 2, misses: 1, evictions: 0 });
    expect(cache.stats({ enable: false })).toMatchObject({ hits: 0, misses: 0, evictions: 0 });
    cache.get('a');
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0, evictions: 0 });
    expect(cache.settings.statistics).toBe(false);
  });

  it('stores the clock-based times it is given', () => {
    const clock = fakeClock(5000);
    const cache = openCache({ now: clock.now });
    cache.set('a', 1, { expire: 2.5 });
    expect(cache.get('a', { expireTime: true }).expireTime).toBe(5002.5);
  });
});

describe('expiry with an injected clock', () => {
  it('expires exactly at now + expire', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    cache.set('a', 'x', { expire: 10 });
    clock.advance(9.999);
    expect(cache.get('a')).toBe('x');
    expect(cache.has('a')).toBe(true);
    clock.advance(0.001);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.has('a')).toBe(false);
    expect(cache.get('a', { default: 'gone' })).toBe('gone');
    expect([...cache.keys()]).toEqual([]);
  });

  it('expire() removes expired rows and counts them; set culls them too', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now, cullLimit: 2 });
    for (let i = 0; i < 5; i++) cache.set(i, i, { expire: 1 });
    cache.set('keep', 1);
    clock.advance(2);
    expect(cache.length).toBe(6);
    cache.set('new', 1); // culls up to cullLimit expired rows
    expect(cache.length).toBe(5);
    expect(cache.expire()).toBe(3);
    expect(cache.length).toBe(2);
  });

  it('touch extends or removes expiry of live keys only', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    cache.set('a', 1, { expire: 1 });
    expect(cache.touch('a', 10)).toBe(true);
    clock.advance(5);
    expect(cache.get('a')).toBe(1);
    expect(cache.touch('a', null)).toBe(true);
    clock.advance(1000);
    expect(cache.get('a')).toBe(1);
    expect(cache.touch('missing', 1)).toBe(false);
    cache.set('b', 1, { expire: 1 });
    clock.advance(2);
    expect(cache.touch('b', 100)).toBe(false);
  });

  it('add, incr and delete treat expired keys as missing', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    cache.set('a', 1, { expire: 1 });
    cache.set('n', 50, { expire: 1 });
    cache.set('d', 1, { expire: 1 });
    clock.advance(1);
    expect(cache.add('a', 2)).toBe(true);
    expect(cache.get('a')).toBe(2);
    expect(cache.incr('n')).toBe(1);
    expect(cache.delete('d')).toBe(false);
    expect(cache.length).toBe(2);
  });

  it('expire 0 stores an already-expired value', () => {
    const cache = openCache({ now: fakeClock().now });
    cache.set('a', 1, { expire: 0 });
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('transact', () => {
  it('commits all or nothing and nests', () => {
    const cache = openCache();
    cache.transact(() => {
      cache.set('a', 1);
      cache.transact(() => cache.set('b', 2));
    });
    expect(cache.get('b')).toBe(2);
    expect(() =>
      cache.transact(() => {
        cache.set('c', 3);
        cache.incr('a');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(cache.get('c')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
  });

  it('refuses async functions', () => {
    const cache = openCache();
    expect(() => cache.transact((async () => cache.set('a', 1)) as never)).toThrow(CacheStateError);
    expect(cache.get('a')).toBeUndefined();
  });
});

describe('errors at open', () => {
  it('directory under a regular file → CacheDirectoryError', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => new Cache(join(dir, 'file', 'cache'))).toThrow(/cache directory .*cannot create it/);
    expect(() => new Cache(join(dir, 'file'))).toThrow(/exists and is not a directory/);
    expect(() => new Cache(join(dir, 'file', 'x'))).toThrow(expect.objectContaining({ code: 'CACHE_DIRECTORY' }));
  });
});
