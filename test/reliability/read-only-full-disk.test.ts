import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cache, CacheDirectoryError } from '../../engine/index.js';
import { tempDir } from '../engine/helpers.js';
import { chattr, mountTmpfs, type Mount } from './mounts.js';

const mounts: Mount[] = [];
const immutable: string[] = [];
afterEach(() => {
  for (const path of immutable.splice(0)) chattr(path, '-i');
  for (const mount of mounts.splice(0)) mount.unmount();
});

/** Runs fn, returning the error it throws (or undefined). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error;
  }
}

const big = (n: number, size: number) => Buffer.alloc(size, n % 251);

describe('read-only directory', () => {
  it('an immutable cache directory: spilled sets fail with CacheDirectoryError, the old value stays, reads go on', (ctx) => {
    const dir = tempDir();
    const cache = new Cache(dir, { diskMinFileSize: 1024 });
    cache.set('spilled', big(1, 4000));
    cache.set('small', 'row value');
    // Every folder, not just the top: a new spill name lands in an existing ab/ folder 1 time in 256.
    const folders = [
      dir,
      ...readdirSync(dir, { recursive: true, encoding: 'utf8' })
        .map((name) => join(dir, name))
        .filter((path) => statSync(path).isDirectory()),
    ];
    const why = chattr(dir, '+i');
    if (why !== undefined) {
      cache.close();
      console.log(`skipped: ${why}`);
      ctx.skip();
    }
    immutable.push(dir);
    for (const folder of folders.slice(1)) {
      expect(chattr(folder, '+i')).toBeUndefined();
      immutable.push(folder);
    }
    try {
      const error = thrown(() => cache.set('spilled', big(2, 4000)));
      expect(error).toBeInstanceOf(CacheDirectoryError);
      expect((error as Error).message).toMatch(/permission|read-only|EPERM|EACCES/i);
      expect(cache.get('spilled')).toEqual(big(1, 4000));
      expect(cache.get('small')).toBe('row value');
      // Rows live in cache.db, which stays writable: small values still work.
      cache.set('small', 'changed');
      expect(cache.get('small')).toBe('changed');
    } finally {
      for (const folder of immutable.splice(0)) chattr(folder, '-i');
    }
    cache.set('spilled', big(3, 4000));
    expect(cache.get('spilled')).toEqual(big(3, 4000));
    expect(cache.check({ orphanAge: 0 })).toEqual([]);
    cache.close();
  });

  it('a cache on a filesystem remounted read-only: opening is a CacheDirectoryError naming the directory', (ctx) => {
    const mount = mountTmpfs(4 * 2 ** 20);
    if ('why' in mount) {
      console.log(`skipped: ${mount.why}`);
      return ctx.skip();
    }
    mounts.push(mount);
    const dir = join(mount.dir, 'cache');
    const cache = new Cache(dir, { diskMinFileSize: 1024 });
    cache.set('a', 'alpha');
    cache.set('b', big(4, 3000));
    cache.close(); // a filesystem with files open for writing cannot be remounted read-only
    mount.readOnly();
    const error = thrown(() => new Cache(dir).close());
    expect(error).toBeInstanceOf(CacheDirectoryError);
    expect((error as CacheDirectoryError).directory).toBe(dir);
    expect((error as Error).message).toMatch(/not writable/);
  });
});

describe('full disk', () => {
  it('a 1 MiB tmpfs filled up: typed errors, nothing committed is lost, usable again once space is freed', (ctx) => {
    const mount = mountTmpfs(2 ** 20);
    if ('why' in mount) {
      console.log(`skipped: ${mount.why}`);
      return ctx.skip();
    }
    mounts.push(mount);
    const ballast = join(mount.dir, 'ballast');
    writeFileSync(ballast, Buffer.alloc(256 * 1024));
    const dir = join(mount.dir, 'cache');
    const cache = new Cache(dir, { diskMinFileSize: 8192 });
    const committed = new Map<string, Buffer | string>();
    const errors: unknown[] = [];
    for (let i = 0; errors.length < 20 && i < 5000; i++) {
      const key = `k${i % 400}`;
      const value = i % 4 === 0 ? big(i, 20_000) : `small value ${i} `.repeat(10);
      try {
        cache.set(key, value);
        committed.set(key, value);
      } catch (error) {
        errors.push(error);
        // The failed set must leave the key's previous value (or its absence) as it was.
        expect(cache.get(key)).toEqual(committed.get(key));
      }
    }
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.filter((e) => !(e instanceof CacheDirectoryError))).toEqual([]);
    expect((errors[0] as Error).message).toMatch(/space|ENOSPC|SQLITE_FULL/);
    for (const [key, value] of committed) expect(cache.get(key), key).toEqual(value);

    rmSync(ballast);
    cache.set('after', big(9, 20_000));
    cache.set('after-small', 'fine');
    expect(cache.get('after')).toEqual(big(9, 20_000));
    for (const [key, value] of committed) expect(cache.get(key), key).toEqual(value);
    // A spill file cut short by ENOSPC must not be left behind to eat the freed space.
    expect(cache.check({ orphanAge: 0 })).toEqual([]);
    cache.close();
    const reopened = new Cache(dir);
    expect(reopened.get('after-small')).toBe('fine');
    expect(reopened.check()).toEqual([]);
    reopened.close();
    const causes = new Set(errors.map((e) => String((e as Error & { cause?: { code?: string } }).cause?.code)));
    // Both layers ran out: spill-file writes (ENOSPC) and SQLite itself (SQLITE_FULL).
    expect([...causes].sort()).toEqual(['ENOSPC', 'SQLITE_FULL']);
    console.log(
      `full disk: ${committed.size} keys committed and read back, ${errors.length} typed errors (${[...causes].join(', ')}), ${readdirSync(dir).length} entries in the cache folder`,
    );
  });
});
