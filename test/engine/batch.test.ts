import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidKeyError, InvalidValueError } from '../../engine/index.js';
import { fakeClock, openCache } from './helpers.js';

/** Spill files under the cache directory (hashed subfolders). */
function spillFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.val'));
}

describe('Cache batch calls', () => {
  it('getMany returns values in key order, the default for misses and expired keys', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    cache.set('a', 1);
    cache.set(2, 'two');
    cache.set('old', 'x', { expire: 1 });
    clock.advance(2);
    expect(cache.getMany(['a', 'missing', 2, 'old'])).toEqual([1, undefined, 'two', undefined]);
    expect(cache.getMany(new Set(['missing', 'a']), { default: null })).toEqual([null, 1]);
    expect(cache.getMany([])).toEqual([]);
  });

  it('getMany with statistics counts each hit and miss', () => {
    const cache = openCache({ statistics: true });
    cache.set('a', 1);
    cache.getMany(['a', 'a', 'b']);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, evictions: 0 });
  });

  it('setMany stores all entries (pairs or a Map) with the same expire and tag', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    expect(
      cache.setMany(
        [
          ['a', 1],
          ['b', { json: true }],
        ],
        { expire: 10, tag: 't' },
      ),
    ).toBe(2);
    expect(cache.setMany(new Map<string, string>([['c', 'x'.repeat(50_000)]]))).toBe(1);
    expect(cache.get('b', { expireTime: true, tag: true })).toEqual({
      value: { json: true },
      expireTime: clock.now() + 10,
      tag: 't',
    });
    expect(cache.get('c')).toBe('x'.repeat(50_000));
    expect(spillFiles(cache.directory)).toHaveLength(1);
  });

  it('setMany is all or nothing: a bad value stores none and leaves no spill file behind', () => {
    const cache = openCache();
    expect(() =>
      cache.setMany([
        ['a', 'x'.repeat(50_000)],
        ['b', new Date() as never],
      ]),
    ).toThrow(InvalidValueError);
    expect(cache.length).toBe(0);
    expect(spillFiles(cache.directory)).toEqual([]);
    expect(() =>
      cache.setMany([
        ['a', 1],
        [{} as never, 2],
      ]),
    ).toThrow(InvalidKeyError);
    expect(() => cache.setMany('ab' as never)).toThrow(/entries/);
  });

  it('deleteMany counts only keys that held a live value', () => {
    const cache = openCache();
    cache.setMany([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(cache.deleteMany(['a', 'c', 'zzz'])).toBe(2);
    expect(cache.getMany(['a', 'b', 'c'])).toEqual([undefined, 2, undefined]);
  });

  it('batch calls join an open transaction', () => {
    const cache = openCache();
    expect(() =>
      cache.transact(() => {
        cache.setMany([
          ['a', 1],
          ['b', 2],
        ]);
        expect(cache.getMany(['a', 'b'])).toEqual([1, 2]);
        throw new Error('undo');
      }),
    ).toThrow('undo');
    expect(cache.length).toBe(0);
  });
});

describe('nested transact (SAVEPOINT)', () => {
  it('a nested transact that throws rolls back only its own part', () => {
    const cache = openCache();
    cache.transact(() => {
      cache.set('outer', 1);
      expect(() =>
        cache.transact(() => {
          cache.set('inner', 2);
          cache.set('outer', 'changed');
          cache.set('big', 'y'.repeat(50_000));
          throw new Error('inner failed');
        }),
      ).toThrow('inner failed');
      cache.set('after', 3);
    });
    expect(cache.getMany(['outer', 'inner', 'after', 'big'])).toEqual([1, undefined, 3, undefined]);
    expect(spillFiles(cache.directory)).toEqual([]);
  });

  it('a rolled-back savepoint keeps the spill file of a value it replaced', () => {
    const cache = openCache();
    cache.set('big', 'a'.repeat(50_000));
    cache.transact(() => {
      try {
        cache.transact(() => {
          cache.set('big', 'small now');
          throw new Error('no');
        });
      } catch {
        /* the outer transaction goes on */
      }
    });
    expect(cache.get('big')).toBe('a'.repeat(50_000));
    expect(spillFiles(cache.directory)).toHaveLength(1);
  });
});
