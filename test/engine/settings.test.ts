import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, InvalidOptionError, SETTINGS, SETTING_NAMES, parseSetting } from '../../engine/index.js';
import { openCache, tempDir } from './helpers.js';
import { Cache, CacheError } from '../../engine/index.js';

describe('SETTINGS table', () => {
  it('lists every setting with diskcache name, unit and the default from DEFAULT_SETTINGS', () => {
    for (const name of SETTING_NAMES) {
      const spec = SETTINGS[name];
      expect(spec.option).toBe(name);
      expect(spec.name).toMatch(/^[a-z_]+$/);
      expect(spec.default).toBe(DEFAULT_SETTINGS[name]);
      expect(spec.validate(spec.default)).toBe(spec.default);
    }
    expect(SETTINGS.sizeLimit.name).toBe('size_limit');
    expect(SETTINGS.sqliteMmapSize.aliases).toContain('mmap_size');
    expect(DEFAULT_SETTINGS.sizeLimit).toBe(2 ** 30);
    expect(DEFAULT_SETTINGS.diskMinFileSize).toBe(32 * 1024);
  });
});

describe('parseSetting', () => {
  it('accepts option, diskcache and short names with units', () => {
    expect(parseSetting('mmap_size', '64MiB')).toEqual(['sqliteMmapSize', 64 * 2 ** 20]);
    expect(parseSetting('sqlite_mmap_size', '0')).toEqual(['sqliteMmapSize', 0]);
    expect(parseSetting('sizeLimit', '1GiB')).toEqual(['sizeLimit', 2 ** 30]);
    expect(parseSetting('size_limit', '2MB')).toEqual(['sizeLimit', 2_000_000]);
    expect(parseSetting('journal_mode', 'WAL')).toEqual(['sqliteJournalMode', 'wal']);
    expect(parseSetting('synchronous', 'normal')).toEqual(['sqliteSynchronous', 'normal']);
    expect(parseSetting('statistics', 'true')).toEqual(['statistics', true]);
    expect(parseSetting('tag-index', 'off')).toEqual(['tagIndex', false]);
    expect(parseSetting('timeout', '500ms')).toEqual(['timeout', 0.5]);
    expect(parseSetting('eviction_policy', 'least-recently-used')).toEqual(['evictionPolicy', 'least-recently-used']);
    expect(parseSetting('cache_size', '-2000')).toEqual(['sqliteCacheSize', -2000]);
    expect(parseSetting('file_mode', '0640')).toEqual(['fileMode', 0o640]);
  });

  it('names the unknown setting and suggests a close one', () => {
    expect(() => parseSetting('mmap_sise', '0')).toThrow(/mmap_sise: unknown setting; did you mean mmap_size\?/);
    expect(() => parseSetting('shardz_count_whatever', '1')).toThrow(InvalidOptionError);
  });

  it('rejects bad units and out-of-range values in one line', () => {
    for (const [name, text] of [
      ['mmap_size', '64 parsecs'],
      ['timeout', '5 bytes'],
      ['size_limit', '-1'],
      ['journal_mode', 'fast'],
      ['statistics', 'maybe'],
      ['page_size', '1000'],
    ]) {
      let message = '';
      try {
        parseSetting(name, text);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionError);
        message = (error as Error).message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain('\n');
    }
  });
});

describe('options', () => {
  it('rejects unknown options with a did-you-mean hint', () => {
    const dir = tempDir();
    expect(() => new Cache(dir, { sizelimit: 5 } as never)).toThrow(
      /sizelimit: unknown option; did you mean sizeLimit\?/,
    );
    expect(() => new Cache(dir, { size_limit: 5 } as never)).toThrow(/did you mean sizeLimit/);
    expect(() => new Cache(dir, { sizeLimit: -1 })).toThrow(InvalidOptionError);
    expect(() => new Cache(dir, { evictionPolicy: 'fifo' as never })).toThrow(/evictionPolicy/);
    expect(() => new Cache(dir, { now: 5 as never })).toThrow(/now/);
  });

  it('persists settings and reloads them; explicit options override and are stored', () => {
    const dir = tempDir();
    const first = new Cache(dir, {
      sizeLimit: 12345,
      cullLimit: 3,
      statistics: true,
      tagIndex: true,
      evictionPolicy: 'least-frequently-used',
    });
    first.close();
    const second = openCache({}, dir);
    expect(second.settings).toMatchObject({
      sizeLimit: 12345,
      cullLimit: 3,
      statistics: true,
      tagIndex: true,
      evictionPolicy: 'least-frequently-used',
    });
    second.close();
    const third = openCache({ cullLimit: 7 }, dir);
    expect(third.settings.cullLimit).toBe(7);
    expect(third.settings.sizeLimit).toBe(12345);
    third.close();
    expect(openCache({}, dir).settings.cullLimit).toBe(7);
  });

  it('applies the SQLite pragmas it reports: real PRAGMA values, with non-default options and after reopen', () => {
    const dir = tempDir();
    const options = {
      sqliteJournalMode: 'delete',
      sqliteSynchronous: 'full',
      sqliteMmapSize: 2 ** 20,
      sqliteCacheSize: -2000,
      sqliteAutoVacuum: 'incremental',
      sqlitePageSize: 8192,
      timeout: 2.5,
    } as const;
    const expected = {
      journal_mode: 'delete',
      synchronous: 2,
      mmap_size: 2 ** 20,
      cache_size: -2000,
      busy_timeout: 2500,
      auto_vacuum: 2,
      page_size: 8192,
    };
    const first = new Cache(dir, options);
    expect(pragmas(first)).toEqual(expected);
    first.close();
    // Persisted settings come back; timeout is per connection (not stored), so the default busy_timeout returns.
    const reopened = openCache({}, dir);
    expect(pragmas(reopened)).toEqual({ ...expected, busy_timeout: 60_000 });
    expect(reopened.settings).toMatchObject({
      sqliteJournalMode: 'delete',
      sqliteSynchronous: 'full',
      sqliteMmapSize: 2 ** 20,
      sqliteCacheSize: -2000,
    });
    const defaults = openCache();
    expect(pragmas(defaults)).toEqual({
      journal_mode: 'wal',
      synchronous: 1,
      mmap_size: 0,
      cache_size: 8192,
      busy_timeout: 60_000,
      auto_vacuum: 1,
      page_size: 4096,
    });
    // lockWait 'poll' under WAL: busy_timeout is 0 once open; the engine waits for the write lock itself (Core.lockWait).
    expect(pragmas(openCache({ lockWait: 'poll' }))).toMatchObject({ journal_mode: 'wal', busy_timeout: 0 });
    expect(pragmas(openCache({ lockWait: 'poll', sqliteJournalMode: 'delete' }))).toMatchObject({
      journal_mode: 'delete',
      busy_timeout: 60_000,
    });
  });

  it('reports (and stores) what SQLite has in force, not the request: mmap_size cap, page_size/auto_vacuum of an existing database', () => {
    const huge = openCache({ sqliteMmapSize: 2 ** 40 });
    expect(huge.settings.sqliteMmapSize).toBe(pragmas(huge).mmap_size);
    expect(huge.settings.sqliteMmapSize).toBeLessThan(2 ** 40); // SQLite caps it (SQLITE_MAX_MMAP_SIZE)
    const dir = tempDir();
    new Cache(dir).close(); // created with 4096-byte pages, auto_vacuum full
    const existing = openCache({ sqlitePageSize: 16384, sqliteAutoVacuum: 'none' }, dir);
    expect(existing.settings).toMatchObject({ sqlitePageSize: 4096, sqliteAutoVacuum: 'full' });
    expect(pragmas(existing)).toMatchObject({ page_size: 4096, auto_vacuum: 1 });
    const db = new Database(join(dir, 'cache.db'), { readonly: true });
    const stored = Object.fromEntries(
      db
        .prepare("SELECT key, value FROM Settings WHERE key IN ('sqlite_page_size', 'sqlite_auto_vacuum')")
        .raw()
        .all() as [string, unknown][],
    );
    db.close();
    expect(stored).toEqual({ sqlite_page_size: 4096, sqlite_auto_vacuum: 'full' });
  });
});

/** The PRAGMA values of the cache's own connection (not its settings, which could just echo the options). */
function pragmas(cache: Cache): Record<string, unknown> {
  const db = (cache as unknown as { core: { db: Database.Database } }).core.db; // the connection under test: private on purpose
  const q = (name: string) => db.pragma(name, { simple: true });
  return {
    journal_mode: q('journal_mode'),
    synchronous: q('synchronous'),
    mmap_size: q('mmap_size'),
    cache_size: q('cache_size'),
    busy_timeout: q('busy_timeout'),
    auto_vacuum: q('auto_vacuum'),
    page_size: q('page_size'),
  };
}

describe('pluggable Disk and file modes', () => {
  it('uses the Disk subclass given as `disk`', async () => {
    const { Disk, MODE } = await import('../../engine/index.js');
    /** Stores strings reversed on disk, to prove the subclass does the encoding. */
    class ReversingDisk extends Disk {
      override store(value: unknown, read?: boolean) {
        const out = super.store(value, read);
        if (out.mode === MODE.TEXT && typeof out.value === 'string') out.value = [...out.value].reverse().join('');
        return out;
      }
      override fetch(mode: number, filename: string | null, value: string | number | Buffer | null) {
        const decoded = super.fetch(mode, filename, value);
        return typeof decoded === 'string' ? [...decoded].reverse().join('') : decoded;
      }
    }
    const cache = openCache({ disk: ReversingDisk });
    expect(cache.disk).toBeInstanceOf(ReversingDisk);
    cache.set('k', 'abc');
    expect(cache.get('k')).toBe('abc');
    expect(() => new Cache(tempDir(), { disk: 5 as never })).toThrow(/disk: expected a Disk class/);
  });

  it('creates cache.db owner-only by default, or with fileMode/dirMode', async () => {
    const { statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = join(tempDir(), 'private');
    const cache = openCache({}, dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'cache.db')).mode & 0o777).toBe(0o600);
    const shared = join(tempDir(), 'shared');
    openCache({ fileMode: 0o640, dirMode: 0o750 }, shared);
    expect(statSync(join(shared, 'cache.db')).mode & 0o777).toBe(0o640);
    expect(statSync(shared).mode & 0o777).toBe(0o750);
    expect(cache.settings.fileMode).toBe(0o600);
  });

  it('normalises -0 to 0 in every integer setting (Node aborts the process on a -0 file mode)', () => {
    // -0 passes Number.isInteger but reaches fs.openSync as a double; found by the bad-input property test.
    for (const name of SETTING_NAMES) {
      let validated: unknown;
      try {
        validated = SETTINGS[name].validate(-0);
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidOptionError);
        continue;
      }
      if (typeof validated === 'number') expect(Object.is(validated, -0), name).toBe(false);
    }
    // Before the fix this line aborted the test process; mode 0 opens for root and is refused (typed) otherwise.
    try {
      new Cache(join(tempDir(), 'zero-mode'), { fileMode: -0 }).close();
    } catch (error) {
      expect(error).toBeInstanceOf(CacheError);
    }
    const cache = new Cache(join(tempDir(), 'zero-mmap'), { sqliteMmapSize: -0 });
    expect(Object.is(cache.settings.sqliteMmapSize, 0)).toBe(true);
    cache.close();
  });

  it('does not store per-connection options (timeout)', () => {
    const dir = tempDir();
    new Cache(dir, { timeout: 1.5 }).close();
    expect(openCache({}, dir).settings.timeout).toBe(60);
  });
});
