import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cache, FanoutCache, inspectCacheDirectory, NotACacheError, writeCacheSettings } from '../../engine/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'existing-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('inspectCacheDirectory: what an existing directory holds, creating nothing', () => {
  it('finds one cache, a fanout layout and plain shard folders', () => {
    new Cache(join(dir, 'one')).close();
    new FanoutCache(join(dir, 'fan'), { shards: 3 }).close();
    for (const shard of ['000', '001']) new Cache(join(dir, 'plain', shard)).close();
    expect(inspectCacheDirectory(join(dir, 'one'))).toEqual({
      kind: 'cache',
      directory: join(dir, 'one'),
      cacheDirectories: [join(dir, 'one')],
    });
    expect(inspectCacheDirectory(join(dir, 'fan')).cacheDirectories).toEqual(
      ['000', '001', '002'].map((s) => join(dir, 'fan', s)),
    );
    expect(inspectCacheDirectory(join(dir, 'plain'))).toMatchObject({
      kind: 'shards',
      cacheDirectories: ['000', '001'].map((s) => join(dir, 'plain', s)),
    });
  });

  it('follows a migrated fanout to the generation its layout names, not the old shard folders', () => {
    const target = join(dir, 'migrated');
    new FanoutCache(target, { shards: 2 }).close();
    new FanoutCache(target, { shards: 3, migrate: true }).close();
    const found = inspectCacheDirectory(target);
    expect(found.cacheDirectories).toHaveLength(3);
    for (const shard of found.cacheDirectories) expect(shard).toContain('gen-1');
  });

  it('refuses what is not a cache with NOT_A_CACHE and a detail, and creates nothing', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const junk = join(dir, 'junk');
    mkdirSync(junk);
    writeFileSync(join(junk, 'cache.db'), 'not sqlite');
    const cases: [string, RegExp][] = [
      [join(dir, 'nope'), /^no such directory$/],
      [empty, /holds no cache\.db/],
      [junk, /cannot be read as SQLite/],
    ];
    for (const [path, detail] of cases) {
      let caught: unknown;
      try {
        inspectCacheDirectory(path);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(NotACacheError);
      expect((caught as NotACacheError).code).toBe('NOT_A_CACHE');
      expect((caught as NotACacheError).detail).toMatch(detail);
    }
    expect(existsSync(join(dir, 'nope'))).toBe(false);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('writeCacheSettings', () => {
  it('stores the settings so a later open without options reads them, splitting a fanout size limit', () => {
    const target = join(dir, 'fan');
    new FanoutCache(target, { shards: 4 }).close();
    const settings = writeCacheSettings(inspectCacheDirectory(target), {
      sizeLimit: 64 * 2 ** 20,
      sqliteJournalMode: 'delete',
    });
    expect(settings).toMatchObject({ sizeLimit: 64 * 2 ** 20, sqliteJournalMode: 'delete' });
    const shard = new Cache(join(target, '002'));
    expect(shard.settings).toMatchObject({ sizeLimit: 16 * 2 ** 20, sqliteJournalMode: 'delete' });
    shard.close();
  });
});
