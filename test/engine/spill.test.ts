import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { InvalidValueError } from '../../engine/index.js';
import { fakeClock, openCache, tempDir } from './helpers.js';

/** Every spill file under the cache directory, relative. */
function spillFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) visit(rel);
      else if (sub) out.push(rel);
    }
  };
  visit('');
  return out;
}

describe('spill files', () => {
  it('stores values at or above diskMinFileSize in hashed subfolders with random names', () => {
    const cache = openCache({ diskMinFileSize: 1000 });
    cache.set('small', 'x'.repeat(999));
    expect(spillFiles(cache.directory)).toEqual([]);
    cache.set('secret-key-name', 'y'.repeat(1000));
    const files = spillFiles(cache.directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{28}\.val$/);
    expect(files[0]).not.toContain('secret');
    expect(readFileSync(join(cache.directory, files[0]), 'utf8')).toBe('y'.repeat(1000));
    expect(statSync(join(cache.directory, files[0])).mode & 0o777).toBe(0o600);
    expect(statSync(join(cache.directory, files[0].slice(0, 2))).mode & 0o777).toBe(0o700);
    expect(cache.get('secret-key-name')).toBe('y'.repeat(1000));
    expect(cache.volume()).toBeGreaterThanOrEqual(1000);
  });

  it('spills bytes and JSON too, and reads them back as their type', () => {
    const cache = openCache({ diskMinFileSize: 64 });
    const bytes = Buffer.alloc(100, 7);
    const json = { list: Array.from({ length: 50 }, (_, i) => i) };
    cache.set('b', bytes);
    cache.set('j', json);
    expect(spillFiles(cache.directory)).toHaveLength(2);
    expect(Buffer.compare(cache.get('b') as Buffer, bytes)).toBe(0);
    expect(cache.get('j')).toEqual(json);
  });

  it('removes the file after overwrite, delete, pop, expire, evict and clear', () => {
    const clock = fakeClock();
    const cache = openCache({ diskMinFileSize: 10, now: clock.now });
    const big = 'z'.repeat(100);
    cache.set('a', big);
    const [first] = spillFiles(cache.directory);
    cache.set('a', big);
    expect(spillFiles(cache.directory)).toHaveLength(1);
    expect(spillFiles(cache.directory)[0]).not.toBe(first);
    cache.set('a', 'small');
    expect(spillFiles(cache.directory)).toEqual([]);
    cache.set('b', big);
    cache.delete('b');
    expect(spillFiles(cache.directory)).toEqual([]);
    cache.set('c', big);
    expect(cache.pop('c')).toBe(big);
    expect(spillFiles(cache.directory)).toEqual([]);
    cache.set('d', big, { expire: 1 });
    clock.advance(2);
    expect(cache.expire()).toBe(1);
    cache.set('e', big, { tag: 't' });
    cache.evict('t');
    cache.set('f', big);
    cache.clear();
    expect(spillFiles(cache.directory)).toEqual([]);
  });

  it('keeps files of a rolled-back transaction consistent', () => {
    const cache = openCache({ diskMinFileSize: 10 });
    const big = 'q'.repeat(100);
    cache.set('keep', big);
    const before = spillFiles(cache.directory);
    expect(() =>
      cache.transact(() => {
        cache.set('new', big); // its new file must go
        cache.delete('keep'); // its old file must stay
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(spillFiles(cache.directory)).toEqual(before);
    expect(cache.get('keep')).toBe(big);
  });

  it('read: true stores a file path or bytes and get(read) / read() stream it', async () => {
    const cache = openCache();
    const source = join(tempDir(), 'page.html');
    writeFileSync(source, '<h1>hi</h1>', { mode: 0o644 });
    cache.set('page', source, { read: true });
    cache.set('raw', Buffer.from('bytes!'), { read: true });
    expect(spillFiles(cache.directory)).toHaveLength(2);
    expect(await text(cache.read('page')!)).toBe('<h1>hi</h1>');
    expect(await text(cache.get('raw', { read: true }) as Readable)).toBe('bytes!');
    expect(Buffer.isBuffer(cache.get('page'))).toBe(true);
    expect(readFileSync(cache.filePath('page')!, 'utf8')).toBe('<h1>hi</h1>');
    expect(cache.filePath('missing')).toBeUndefined();
    expect(cache.read('missing')).toBeUndefined();
    cache.set('inline', Buffer.from('small'));
    expect(cache.filePath('inline')).toBeUndefined();
    expect(await text(cache.read('inline')!)).toBe('small');
    cache.set('n', 5);
    expect(() => cache.read('n')).toThrow(InvalidValueError);
    expect(() => cache.set('x', 5 as never, { read: true })).toThrow(/file path or bytes/);
  });

  it('a stream stays readable after its key is deleted', async () => {
    const cache = openCache({ diskMinFileSize: 10 });
    cache.set('a', 'w'.repeat(50));
    const stream = cache.read('a')!;
    cache.delete('a');
    expect(await text(stream)).toBe('w'.repeat(50));
  });

  it('setStream writes a stream to a spill file', async () => {
    const cache = openCache();
    expect(await cache.setStream('s', Readable.from([Buffer.from('ab'), Buffer.from('cd')]), { tag: 'st' })).toBe(true);
    expect((cache.get('s') as Buffer).toString()).toBe('abcd');
    expect(cache.get('s', { tag: true }).tag).toBe('st');
    expect(spillFiles(cache.directory)).toHaveLength(1);
    const failing = new Readable({
      read() {
        this.destroy(new Error('broken source'));
      },
    });
    await expect(cache.setStream('bad', failing)).rejects.toThrow('broken source');
    expect(spillFiles(cache.directory)).toHaveLength(1);
    expect(existsSync(join(cache.directory, 'cache.db'))).toBe(true);
  });
});

describe('read: true sources', () => {
  it('a missing path or a directory is an InvalidValueError naming the path; nothing is left behind', () => {
    const cache = openCache();
    const missing = join(cache.directory, 'no-such-file');
    expect(() => cache.set('m', missing, { read: true })).toThrow(InvalidValueError);
    expect(() => cache.set('m', missing, { read: true })).toThrow(missing);
    const folder = tempDir();
    expect(() => cache.set('d', folder, { read: true })).toThrow(/is not a regular file/);
    expect(cache.length).toBe(0);
    expect(cache.check({ orphanAge: 0 })).toEqual([]);
  });
});
