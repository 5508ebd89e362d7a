import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, CacheError, CorruptCacheError } from '../../engine/index.js';
import { Rng } from '../../shared/rng.js';
import { openCache, tempDir } from '../engine/helpers.js';
import { SEED } from './helpers.js';

/** Every spill file under a cache directory, relative to it. */
function spillFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((name) => name.endsWith('.val'));
}

/** A closed cache of `n` rows whose values name their key, so any mix-up is visible. */
function filledCache(n: number): string {
  const dir = tempDir();
  const cache = new Cache(dir);
  cache.transact(() => {
    for (let i = 0; i < n; i++) cache.set(`key-${i}`, { key: i, text: `value of key ${i} `.repeat(5) });
  });
  cache.close();
  return dir;
}

/**
 * Reads every key of a damaged cache: each must come back right, be missing,
 * or throw a CacheError — never come back as someone else's value.
 */
function readAll(dir: string, n: number): { right: number; typedErrors: number; missing: number; wrong: string[] } {
  const out = { right: 0, typedErrors: 0, missing: 0, wrong: [] as string[] };
  let cache: Cache;
  try {
    cache = new Cache(dir);
  } catch (error) {
    if (!(error instanceof CacheError)) throw error;
    out.typedErrors = n;
    return out;
  }
  try {
    for (let i = 0; i < n; i++) {
      try {
        const value = cache.get(`key-${i}`) as { key: number } | undefined;
        if (value === undefined) out.missing++;
        else if (value.key === i) out.right++;
        else out.wrong.push(`key-${i}: ${JSON.stringify(value)}`);
      } catch (error) {
        if (!(error instanceof CacheError)) throw error;
        out.typedErrors++;
      }
    }
  } finally {
    cache.close();
  }
  return out;
}

describe('damaged cache.db', () => {
  it('garbage in cache.db: CorruptCacheError naming the file, and the file is left untouched', () => {
    const dir = tempDir();
    const garbage = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) & 0xff));
    writeFileSync(join(dir, 'cache.db'), garbage);
    let caught: unknown;
    try {
      new Cache(dir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CorruptCacheError);
    expect((caught as CorruptCacheError).file).toBe(join(dir, 'cache.db'));
    expect(readFileSync(join(dir, 'cache.db')).equals(garbage)).toBe(true);
  });

  it('a valid header over garbage pages: a typed error on open, get or check — never a wrong value', () => {
    const dir = filledCache(300);
    const file = join(dir, 'cache.db');
    const bytes = readFileSync(file);
    // Keep the 100-byte header, scribble over every page after the first.
    const rng = new Rng(SEED, 7);
    for (let i = 4096; i < bytes.length; i++) bytes[i] = rng.nextInt(256);
    writeFileSync(file, bytes);
    const result = readAll(dir, 300);
    expect(result.wrong).toEqual([]);
    expect(result.right).toBe(0);
    expect(result.typedErrors + result.missing).toBe(300);
    expect(result.typedErrors).toBeGreaterThan(0);
  });

  it('cache.db truncated at seeded random points: every key reads right, or a typed error — never another value', () => {
    const rng = new Rng(SEED, 8);
    const n = 400;
    const pristine = filledCache(n);
    const original = readFileSync(join(pristine, 'cache.db'));
    const cuts = [10, 100, 4096, 4097, ...Array.from({ length: 6 }, () => 1 + rng.nextInt(original.length - 1))];
    const seen: string[] = [];
    for (const cut of cuts) {
      const dir = tempDir();
      writeFileSync(join(dir, 'cache.db'), original.subarray(0, cut));
      const result = readAll(dir, n);
      expect(result.wrong, `cut at ${cut}`).toEqual([]);
      seen.push(`${cut}: ${result.right} right, ${result.missing} missing, ${result.typedErrors} typed errors`);
      // check() on what still opens: SQLite's integrity check names the damage.
      try {
        const cache = new Cache(dir);
        const warnings = cache.check();
        cache.close();
        if (result.right < n) expect(warnings.length, `cut at ${cut}`).toBeGreaterThan(0);
      } catch (error) {
        expect(error).toBeInstanceOf(CacheError);
      }
    }
    console.log(`truncated cache.db of ${original.length} bytes:\n  ${seen.join('\n  ')}`);
  });
});

describe('damaged spill files', () => {
  function spilled(): { cache: Cache; file: string } {
    const cache = openCache({ diskMinFileSize: 64 });
    cache.set('big', 'y'.repeat(1000));
    cache.set('bytes', Buffer.alloc(500, 7));
    cache.set('small', 'kept in the row');
    const file = join(cache.directory, cache.filePath('big')!.slice(cache.directory.length + 1));
    return { cache, file };
  }

  it('a deleted spill file reads as a miss; check finds it and fix drops the row', () => {
    const { cache, file } = spilled();
    rmSync(file);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.has('big')).toBe(false); // has() agrees with get()
    expect(cache.has('bytes')).toBe(true);
    expect(cache.check().join('\n')).toMatch(/is missing/);
    cache.check({ fix: true });
    expect(cache.has('big')).toBe(false);
    expect(cache.get('bytes')).toEqual(Buffer.alloc(500, 7));
    expect(cache.check()).toEqual([]);
  });

  it('a truncated spill file is a CorruptCacheError on get and read, never the shortened value; check fix drops it', () => {
    const { cache, file } = spilled();
    truncateSync(file, 300);
    expect(() => cache.get('big')).toThrow(CorruptCacheError);
    expect(() => cache.get('big', { tag: true })).toThrow(CorruptCacheError);
    expect(() => cache.read('big')).toThrow(CorruptCacheError);
    expect(() => cache.pop('big')).toThrow(CorruptCacheError);
    expect(cache.has('big')).toBe(true); // the failed pop rolled back
    expect(cache.check({ fix: true }).join('\n')).toMatch(/has 300 bytes, row says 1000/);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.get('small')).toBe('kept in the row');
    expect(cache.check({ orphanAge: 0 })).toEqual([]);
  });

  it('a spill file replaced by a directory is a CorruptCacheError; check fix drops the row and the directory', () => {
    const { cache, file } = spilled();
    rmSync(file);
    mkdirSync(file);
    expect(() => cache.get('big')).toThrow(CorruptCacheError);
    const warnings = cache.check({ fix: true, orphanAge: 0 });
    expect(warnings.join('\n')).toMatch(/big|row/);
    expect(cache.get('big')).toBeUndefined();
    cache.check({ fix: true, orphanAge: 0 });
    expect(() => statSync(file)).toThrow();
    expect(cache.check({ orphanAge: 0 })).toEqual([]);
    expect(cache.get('bytes')).toEqual(Buffer.alloc(500, 7));
  });

  it('a tampered row pointing at a missing or foreign spill name never reads outside the cache directory', () => {
    const { cache } = spilled();
    const outside = join(tempDir(), 'secret.txt');
    writeFileSync(outside, 'secret');
    const db = new Database(join(cache.directory, 'cache.db'));
    db.prepare("UPDATE Cache SET filename = ?, size = 6 WHERE key = 'big'").run(
      `../${outside.split('/').slice(-2).join('/')}`,
    );
    db.close();
    // Spill names are checked to stay inside the directory, so a tampered row cannot read (or later remove) other files.
    let result: unknown;
    try {
      result = cache.get('big');
    } catch (error) {
      result = error;
    }
    expect(result).toBeInstanceOf(CorruptCacheError);
    expect(() => cache.read('big')).toThrow(CorruptCacheError);
    expect(cache.check({ fix: true }).join('\n')).toMatch(/is missing \(row removed\)/);
    cache.set('big', 'replaced'); // would remove the old spill file: the outside one must survive
    expect(readFileSync(outside, 'utf8')).toBe('secret');
    expect(spillFiles(cache.directory).length).toBe(2); // 'bytes' and big's original file, orphaned by the tampering
  });
});
