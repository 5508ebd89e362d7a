import type { Statement } from 'better-sqlite3';
import type { Core } from './core.js';
import { expiredDeleteSql, policyDeleteSql } from './statements.js';
import type { Key } from './disk.js';
import { InvalidOptionError } from './errors.js';
import type { WriteTimes } from './write-timing.js';

/** Bulk removals go in batches, each its own transaction, so other processes are not locked out for long. */
const BATCH = 100;

function deleteInBatches(core: Core, statement: Statement, params: unknown[]): number {
  let total = 0;
  for (;;) {
    const removed = core.write(() => {
      const filenames = statement.all(...params) as (string | null)[];
      core.drop(filenames);
      return filenames.length;
    });
    total += removed;
    if (removed < BATCH) return total;
  }
}

export function expireAll(core: Core, now: number): number {
  if (typeof now !== 'number' || now !== now)
    throw new InvalidOptionError(
      'now',
      `expected seconds on the cache clock, got ${typeof now === 'number' ? 'NaN' : typeof now}`,
    );
  return deleteInBatches(core, core.prepare(expiredDeleteSql(BATCH)).pluck(), [now]);
}

export function evictTag(core: Core, tag: string): number {
  if (typeof tag !== 'string') throw new InvalidOptionError('tag', `expected a string, got ${typeof tag}`);
  const statement = core
    .prepare(
      `DELETE FROM Cache WHERE rowid IN (SELECT rowid FROM Cache WHERE tag = ? LIMIT ${BATCH}) RETURNING filename`,
    )
    .pluck();
  return deleteInBatches(core, statement, [tag]);
}

export function clearAll(core: Core): number {
  const statement = core
    .prepare(`DELETE FROM Cache WHERE rowid IN (SELECT rowid FROM Cache LIMIT ${BATCH}) RETURNING filename`)
    .pluck();
  return deleteInBatches(core, statement, []);
}

/** Expired rows first, then rows by policy while volume() is at or above sizeLimit. */
export function cullAll(core: Core): number {
  let total = expireAll(core, core.now());
  const sql = policyDeleteSql(core.policy, Math.max(core.settings.cullLimit, 10));
  if (sql === null) return total;
  const cullPolicy = core.prepare(sql).pluck();
  for (;;) {
    const removed = core.write(() => {
      if (core.volume() < core.settings.sizeLimit) return 0;
      const filenames = cullPolicy.all(-1) as (string | null)[];
      core.drop(filenames);
      core.countEvictions(filenames.length);
      return filenames.length;
    });
    if (removed === 0) return total;
    total += removed;
  }
}

/**
 * Live keys in rowid order, read in pages so callers may use the cache while
 * iterating. The statement is prepared at the call, not at the first next():
 * keys() on a closed cache throws there and then.
 */
export function keysOf(core: Core): IterableIterator<Key> {
  return keyPages(
    core,
    core.prepare(`SELECT rowid, key, kind, expire_time FROM Cache WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH}`).raw(),
  );
}

function* keyPages(core: Core, statement: Statement): IterableIterator<Key> {
  let last = 0;
  for (;;) {
    let rows: [number, string | number | Buffer, number, number | null][];
    try {
      rows = statement.all(last) as typeof rows;
    } catch (error) {
      throw core.mapError(error);
    }
    const now = core.now();
    for (const [rowid, key, kind, expire] of rows) {
      last = rowid;
      if (expire === null || expire > now) yield core.disk.decodeKey(key, kind);
    }
    if (rows.length < BATCH) return;
  }
}

export interface StatsOptions {
  /** Switch hit/miss counting on or off (stored in cache.db); omitted leaves it as is. */
  enable?: boolean;
  /** Zero the counters after reading them. */
  reset?: boolean;
}

export interface Stats {
  hits: number;
  misses: number;
  /**
   * Rows removed by the eviction policy to keep volume() under sizeLimit
   * (expired rows not included). Counted always, not only with `statistics`
   * on: it costs a write only when a cull evicts. Stored in cache.db like
   * hits and misses, so it covers every process; `reset` zeroes it too.
   */
  evictions: number;
  /**
   * Where this process's writes on this cache spent their time (lock waits,
   * slow commits, checkpoints; engine/write-timing.ts). Unlike the counts
   * above these are kept in memory, per process, since the cache was opened
   * (or the last `reset`).
   */
  writes: WriteTimes;
}

/** The connection's write figures, with the checkpoints the process's checkpoint thread ran for it. */
function writeTimes(core: Core, reset: boolean): WriteTimes {
  const writes = core.timer.read(reset);
  const fromThread = core.checkpointer?.threadCheckpoints(reset);
  if (fromThread !== undefined) {
    writes.checkpoints += fromThread.checkpoints;
    writes.checkpointNs += fromThread.checkpointNs;
  }
  return writes;
}

export function stats(core: Core, options: StatsOptions): Stats {
  return core.write(() => {
    const s = core.s;
    const result = {
      hits: s.readSetting.get('hits') as number,
      misses: s.readSetting.get('misses') as number,
      evictions: s.readSetting.get('evictions') as number,
      writes: writeTimes(core, options.reset === true),
    };
    if (options.reset === true) {
      s.writeSetting.run('hits', 0);
      s.writeSetting.run('misses', 0);
      s.writeSetting.run('evictions', 0);
    }
    if (options.enable !== undefined) {
      if (typeof options.enable !== 'boolean') throw new InvalidOptionError('enable', 'expected true or false');
      s.writeSetting.run('statistics', options.enable ? 1 : 0);
      core.settings.statistics = options.enable;
      core.readOnlyGet = !options.enable && core.policy.get === null;
    }
    return result;
  });
}
