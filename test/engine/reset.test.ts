import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, CacheStateError, FanoutCache, InvalidOptionError } from '../../engine/index.js';
import { keep, openCache, tempDir } from './helpers.js';

const BIG = 'x'.repeat(20_000);

function indexes(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('Cache.reset', () => {
  it('cullLimit and evictionPolicy change what the next set culls, on the same handle', () => {
    const cache = openCache({ sizeLimit: 40_000, diskMinFileSize: 1 << 20 });
    for (let i = 0; i < 10; i++) cache.set(`a${i}`, BIG);
    const culled = cache.length;
    expect(culled).toBeLessThan(10); // culling on at the default cullLimit
    cache.reset('cull_limit', 0);
    for (let i = 0; i < 5; i++) cache.set(`b${i}`, BIG);
    expect(cache.length).toBe(culled + 5); // nothing culled
    cache.reset('cullLimit', 10);
    cache.reset('eviction_policy', 'none');
    for (let i = 0; i < 5; i++) cache.set(`c${i}`, BIG);
    expect(cache.length).toBe(culled + 10); // policy none: still nothing
    expect(indexes(join(cache.directory, 'cache.db'))).not.toContain('Cache_store_time');
    cache.reset('evictionPolicy', 'least-recently-used');
    expect(indexes(join(cache.directory, 'cache.db'))).toContain('Cache_access_time');
    cache.set('d', BIG);
    expect(cache.length).toBeLessThan(culled + 11);
  });

  it('reads units, any spelling, and reloads the stored value with no value given', () => {
    const directory = tempDir();
    const cache = openCache({}, directory);
    expect(cache.reset('size', '1MiB')).toBe(2 ** 20);
    expect(cache.reset('sizeLimit')).toBe(2 ** 20);
    const other = openCache({}, directory);
    other.reset('statistics', true);
    expect(cache.settings.statistics).toBe(false);
    expect(cache.reset('stats')).toBe(true);
    cache.get('missing'); // counted now on this handle too
    expect(cache.stats().misses).toBe(1);
  });

  it('diskMinFileSize and timeout take effect at once; timeout is not stored', () => {
    const directory = tempDir();
    const cache = openCache({}, directory);
    cache.set('small', 'twenty bytes of text');
    expect(cache.filePath('small')).toBeUndefined();
    cache.reset('disk_min_file_size', 10);
    cache.set('small', 'twenty bytes of text');
    expect(cache.filePath('small')).toBeDefined();
    expect(cache.get('small')).toBe('twenty bytes of text');
    expect(cache.reset('timeout', '500ms')).toBe(0.5);
    expect(cache.settings.timeout).toBe(0.5);
    const reopened = openCache({}, directory);
    expect(reopened.settings.diskMinFileSize).toBe(10);
    expect(reopened.settings.timeout).toBe(60);
  });

  it('switches the journal mode and keeps working; the next open uses it', () => {
    const directory = tempDir();
    const cache = openCache({}, directory);
    expect(cache.reset('journal_mode', 'delete')).toBe('delete');
    cache.set('k', 1);
    expect(cache.get('k')).toBe(1);
    expect(openCache({}, directory).settings.sqliteJournalMode).toBe('delete');
  });

  it('refuses what an open cache cannot change, unknown names, bad values, and a call inside transact()', () => {
    const cache = openCache();
    expect(() => cache.reset('sqlite_page_size', 8192)).toThrow(/fixed when cache.db is created/);
    expect(() => cache.reset('auto_vacuum', 'none')).toThrow(InvalidOptionError);
    expect(() => cache.reset('lockWait', 'poll')).toThrow(/pass it when opening/);
    expect(() => cache.reset('fileMode', 0o644)).toThrow(/pass it when opening/);
    expect(() => cache.reset('cull_limt', 3)).toThrow(/unknown setting; did you mean/);
    expect(() => cache.reset('cullLimit', -1)).toThrow(InvalidOptionError);
    expect(() => cache.reset('synchronous', 'sometimes')).toThrow(InvalidOptionError);
    expect(() => cache.transact(() => cache.reset('cullLimit', 3))).toThrow(CacheStateError);
    expect(cache.settings.cullLimit).toBe(10);
    cache.close();
    expect(() => cache.reset('cullLimit', 3)).toThrow(CacheStateError);
  });
});

describe('FanoutCache.reset and tag index', () => {
  it('splits sizeLimit over the shards and reports the total; createTagIndex reaches every shard', () => {
    const directory = tempDir();
    const fanout = keep(new FanoutCache(directory, { shards: 4 }));
    expect(fanout.reset('size_limit', 8000)).toBe(8000);
    expect(fanout.settings.sizeLimit).toBe(8000);
    const shard = new Cache(join(directory, '002'));
    expect(shard.settings.sizeLimit).toBe(2000);
    shard.close();
    fanout.createTagIndex();
    for (const i of ['000', '001', '002', '003'])
      expect(indexes(join(directory, i, 'cache.db'))).toContain('Cache_tag_rowid');
    expect(fanout.settings.tagIndex).toBe(true);
    fanout.dropTagIndex();
    for (const i of ['000', '001', '002', '003'])
      expect(indexes(join(directory, i, 'cache.db'))).not.toContain('Cache_tag_rowid');
  });
});
