import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Cache, CorruptCacheError, MODE, type Key } from '../../engine/index.js';
import { COMPRESSED } from '../../engine/compress.js';
import { openCache, tempDir } from './helpers.js';

const PROSE = 'the quick brown fox jumps over the lazy dog; '.repeat(200); // 9 KB, compresses well

/** mode, bytes in the row and spill filename of a key, read past the engine. */
function row(directory: string, key: string): { mode: number; bytes: number | null; filename: string | null } {
  const db = new Database(join(directory, 'cache.db'), { readonly: true });
  try {
    const found = db.prepare('SELECT mode, length(value) AS bytes, filename FROM Cache WHERE key = ?').get(key) as {
      mode: number;
      bytes: number | null;
      filename: string | null;
    };
    return found;
  } finally {
    db.close();
  }
}

describe('diskCompressLevel', () => {
  it('stores text, JSON and bytes deflated, with the compressed bit on their mode, and reads them back', () => {
    const cache = openCache({ diskCompressLevel: 6 });
    const json = { rows: Array.from({ length: 200 }, (_, i) => ({ id: i, name: 'same name' })) };
    const bytes = Buffer.from(PROSE);
    cache.set('text', PROSE);
    cache.set('json', json);
    cache.set('bytes', bytes);
    expect(cache.get('text')).toBe(PROSE);
    expect(cache.get('json')).toEqual(json);
    expect(cache.get('bytes')).toEqual(bytes);
    expect(row(cache.directory, 'text')).toMatchObject({ mode: MODE.TEXT | COMPRESSED, filename: null });
    expect(row(cache.directory, 'json').mode).toBe(MODE.JSON | COMPRESSED);
    expect(row(cache.directory, 'bytes').mode).toBe(MODE.BYTES | COMPRESSED);
    expect(row(cache.directory, 'text').bytes).toBeLessThan(PROSE.length / 10);
    // Unpaired surrogates go as JSON text, compressed all the same.
    const odd = `\ud800${PROSE}`;
    cache.set('odd', odd);
    expect(cache.get('odd')).toBe(odd);
    expect(row(cache.directory, 'odd').mode).toBe(MODE.JSON | COMPRESSED);
  });

  it('leaves short and incompressible values, numbers and booleans as they are', () => {
    const cache = openCache({ diskCompressLevel: 9 });
    const noise = randomBytes(2000);
    cache.set('short', 'short text');
    cache.set('noise', noise);
    cache.set('n', 12.5);
    cache.set('b', true);
    expect(row(cache.directory, 'short').mode).toBe(MODE.TEXT);
    expect(row(cache.directory, 'noise').mode).toBe(MODE.BYTES);
    expect(row(cache.directory, 'n').mode).toBe(MODE.NUMBER);
    expect(cache.get('noise')).toEqual(noise);
    expect(cache.incr('counter')).toBe(1);
  });

  it('spills a value still large after compression as a file of deflated bytes; read() inflates, filePath() has none to give', async () => {
    const cache = openCache({ diskCompressLevel: 1, diskMinFileSize: 1000 });
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${(i * 7919) % 5003}`).join('\n'); // ~50 KB, deflates to well over 1 KB
    cache.set('big', lines);
    const { mode, filename } = row(cache.directory, 'big');
    expect(mode).toBe(MODE.TEXT | COMPRESSED);
    expect(filename).not.toBeNull();
    const file = readFileSync(join(cache.directory, filename!));
    expect(file.byteLength).toBeLessThan(lines.length / 2);
    expect(inflateSync(file).toString()).toBe(lines);
    expect(cache.get('big')).toBe(lines);
    expect(await text(cache.read('big')!)).toBe(lines);
    expect(cache.filePath('big')).toBeUndefined();
    expect(cache.check()).toEqual([]);
  });

  it('every row declares its format: a cache written both ways reads back under any later setting', () => {
    const directory = tempDir();
    const before = new Cache(directory); // level 0: the format before the setting existed
    before.set('old', PROSE);
    before.close();
    const compressing = new Cache(directory, { diskCompressLevel: 9 });
    compressing.set('new', PROSE);
    expect(compressing.get('old')).toBe(PROSE);
    compressing.close();
    const reopened = new Cache(directory); // the level is stored: still 9
    expect(reopened.settings.diskCompressLevel).toBe(9);
    reopened.close();
    const plain = new Cache(directory, { diskCompressLevel: 0 });
    plain.set('plain', PROSE);
    expect([plain.get('old'), plain.get('new'), plain.get('plain')]).toEqual([PROSE, PROSE, PROSE]);
    expect([row(directory, 'old').mode, row(directory, 'new').mode, row(directory, 'plain').mode]).toEqual([
      MODE.TEXT,
      MODE.TEXT | COMPRESSED,
      MODE.TEXT,
    ]);
    plain.reset('compress_level', 4); // live: the next set compresses
    plain.set('later', PROSE);
    expect(row(directory, 'later').mode).toBe(MODE.TEXT | COMPRESSED);
    plain.close();
  });

  it('a damaged compressed value is a CorruptCacheError, not a raw zlib error', () => {
    const cache = openCache({ diskCompressLevel: 6 });
    const key: Key = 'damaged';
    cache.set(key, PROSE);
    const db = new Database(join(cache.directory, 'cache.db'));
    db.prepare('UPDATE Cache SET value = ? WHERE key = ?').run(Buffer.from('not zlib data at all'), key);
    db.close();
    expect(() => cache.get(key)).toThrow(CorruptCacheError);
    expect(() => cache.get(key)).toThrow(/does not inflate/);
  });

  it('refuses a level outside 0-9', () => {
    expect(() => new Cache(tempDir(), { diskCompressLevel: 10 })).toThrow(/diskCompressLevel/);
  });
});
