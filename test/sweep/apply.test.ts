import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { getBackendFactory } from '../../backends/registry.js';
import { Cache } from '../../engine/cache.js';
import { FanoutCache } from '../../engine/fanout.js';
import { getScenario } from '../../scenarios/registry.js';
import { applyRecommendation, findCacheDirectories } from '../../sweep/apply.js';
import { parseGridArgs } from '../../sweep/grid.js';
import { planSweep } from '../../sweep/plan.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-apply-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sqlite = getBackendFactory('sqlite');

function plan(tokens: string[]) {
  return planSweep({
    scenario: getScenario('talk'),
    parameters: {},
    factory: sqlite,
    grid: parseGridArgs(tokens, sqlite),
    repeat: 1,
    seed: 1,
    sizes: { procs: 1, ops: 10, warmupOps: 0 },
  });
}

function newCache(path: string): void {
  const cache = new Cache(path);
  cache.set('kept', 'value');
  cache.close();
}

describe('applyRecommendation', () => {
  it('stores the engine settings so a reopened Cache reports them, keeps the data, and says what it could not store', () => {
    const target = join(dir, 'app-cache');
    newCache(target);
    const p = plan([
      'journal_mode=delete',
      'mmap_size=0',
      'policy=least-recently-used',
      'cache_size=500',
      'timeout=10ms',
      'page_size=8192',
      'procs=2',
    ]);
    const outcome = applyRecommendation(target, p.combinations[0]!, p.grid);
    expect(outcome.applied).toEqual({
      sqlite_journal_mode: 'delete',
      sqlite_mmap_size: 0,
      eviction_policy: 'least-recently-used',
      sqlite_cache_size: 500,
    });
    expect(outcome.skipped.map((s) => s.name)).toEqual(['timeout', 'page_size', 'procs']);
    expect(outcome.skipped[0]!.reason).toMatch(/per connection/);

    const reopened = new Cache(target);
    try {
      expect(reopened.settings).toMatchObject({
        sqliteJournalMode: 'delete',
        sqliteMmapSize: 0,
        evictionPolicy: 'least-recently-used',
        sqliteCacheSize: 500,
        timeout: 60,
        sqlitePageSize: 4096,
      });
      expect(reopened.get('kept')).toBe('value');
    } finally {
      reopened.close();
    }
  });

  it('writes the defaults of the swept settings when the recommendation is to keep the defaults', () => {
    const target = join(dir, 'tuned-before');
    new Cache(target, { sqliteJournalMode: 'delete', sqliteSynchronous: 'full' }).close();
    const p = plan(['journal_mode=delete,truncate']);
    const defaults = p.combinations.find((c) => c.added)!;
    applyRecommendation(target, defaults, p.grid);
    const reopened = new Cache(target);
    // The swept setting is back to the default; the one not swept is left as it was.
    expect(reopened.settings).toMatchObject({ sqliteJournalMode: 'wal', sqliteSynchronous: 'full' });
    reopened.close();
  });

  it('opens a FanoutCache directory as one, so the size limit is split across its shards', () => {
    const target = join(dir, 'real-fanout');
    new FanoutCache(target, { shards: 4 }).close();
    const fanout = getBackendFactory('fanout');
    const p = planSweep({
      scenario: getScenario('talk'),
      parameters: {},
      factory: fanout,
      grid: parseGridArgs(['size_limit=64MiB', 'journal_mode=delete', 'shards=4'], fanout),
      repeat: 1,
      seed: 1,
      sizes: { procs: 1, ops: 10, warmupOps: 0 },
    });
    const outcome = applyRecommendation(target, p.combinations[0]!, p.grid);
    expect(outcome.directories).toHaveLength(4);
    expect(outcome.skipped.map((s) => s.name)).toEqual(['shards']);
    const reopened = new FanoutCache(target);
    try {
      expect(reopened.shardCount).toBe(4);
      expect(reopened.settings).toMatchObject({ sizeLimit: 64 * 2 ** 20, sqliteJournalMode: 'delete' });
    } finally {
      reopened.close();
    }
    const shard = new Cache(join(target, '000'));
    expect(shard.settings.sizeLimit).toBe(16 * 2 ** 20);
    shard.close();
  });

  it('writes the shards a migrated FanoutCache uses now (its layout names them), not the old folders', () => {
    const target = join(dir, 'migrated');
    new FanoutCache(target, { shards: 2 }).close();
    new FanoutCache(target, { shards: 3, migrate: true }).close();
    const p = plan(['synchronous=off']);
    const outcome = applyRecommendation(target, p.combinations[0]!, p.grid);
    expect(outcome.directories).toHaveLength(3);
    expect(outcome.settings.sqliteSynchronous).toBe('off');
    for (const shard of outcome.directories) expect(shard).toContain('gen-1');
  });

  it('writes every shard of a fanout-style directory', () => {
    const target = join(dir, 'fanout');
    for (const shard of ['000', '001']) newCache(join(target, shard));
    const p = plan(['synchronous=off']);
    expect(applyRecommendation(target, p.combinations[0]!, p.grid).directories).toHaveLength(2);
    for (const shard of ['000', '001']) {
      const c = new Cache(join(target, shard));
      expect(c.settings.sqliteSynchronous).toBe('off');
      c.close();
    }
  });
});

describe('findCacheDirectories refuses what is not an existing cache, creating nothing', () => {
  it.each([
    ['a missing directory', () => join(dir, 'nope'), /no such directory/],
    [
      'a file',
      () => {
        const f = join(dir, 'file.txt');
        writeFileSync(f, 'x');
        return f;
      },
      /not a directory/,
    ],
    [
      'an empty directory',
      () => {
        const d = join(dir, 'empty');
        mkdirSync(d);
        return d;
      },
      /holds no cache\.db/,
    ],
    [
      'a non-SQLite cache.db',
      () => {
        const d = join(dir, 'junk');
        mkdirSync(d);
        writeFileSync(join(d, 'cache.db'), 'not sqlite at all, just text');
        return d;
      },
      /cannot be read as SQLite/,
    ],
    [
      'another SQLite database',
      () => {
        const d = join(dir, 'other');
        mkdirSync(d);
        const db = new Database(join(d, 'cache.db'));
        db.exec('CREATE TABLE t (x)');
        db.close();
        return d;
      },
      /without the cache's Settings and Cache tables/,
    ],
  ])('%s', (_name, make, pattern) => {
    const path = make();
    expect(() => findCacheDirectories(path)).toThrow(pattern);
    expect(() => findCacheDirectories(path)).toThrow(/^--apply .*point --apply at an existing cache directory/);
  });
});
