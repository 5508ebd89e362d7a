import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Cache } from './cache.js';
import type { CacheOptions } from './options.js';
import type { Disk, Key, Value } from './disk.js';
import { ShardLayoutError } from './errors.js';
import { HeldShard } from './fanout-held-shard.js';
import { generationRoot, replaceLayout, shardDirectory, type Layout } from './fanout-layout.js';
import { HASH_NAME, shardOf } from './shard-hash.js';

/**
 * Rehashes every live entry of a FanoutCache into a new shard count.
 *
 * Safe against interruption because nothing is changed in place:
 *   1. the new shards are written as a new generation under `gen-<g+1>/`;
 *   2. the switch is one atomic rename of fanout.json (fsynced, with its directory);
 *   3. only then are the old generation's folders removed.
 * Killed before 2, the old layout is still in force and untouched (the next
 * migration removes the half-written generation); killed after it, the new one
 * is complete and the old folders are only garbage, removed by the next
 * migration. `migrate.lock` keeps two migrations from running at once.
 *
 * Safe against other processes still using the old layout: each old shard is
 * write-locked (HeldShard) before it is copied and stays locked until after
 * the switch, so their writes either land before the copy (and are copied) or
 * wait and time out (a set answers false); once the switch is committed the
 * old shards are retired and those processes get ShardLayoutError.
 */
export interface MigrationPlan {
  directory: string;
  from: Layout;
  shards: number;
  fileMode: number;
  /** Opens shard `index` of a layout with `count` shards in `folder`; `overrides` replace settings for this open. */
  open: (folder: string, index: number, count: number, overrides?: CacheOptions) => Cache;
}

const LOCK_FILE = 'migrate.lock';
const BATCH = 500;
/** Seconds the migration waits for another process's write transaction on an old shard before giving up (CacheTimeoutError). */
const LOCK_WAIT = 60;

export function migrateLayout(plan: MigrationPlan): Layout {
  const { directory, from } = plan;
  const lock = takeLock(directory);
  try {
    const layout: Layout = { ...from, shards: plan.shards, hash: HASH_NAME, generation: from.generation + 1 };
    removeStale(directory, from.generation);
    const old = openAll(from.shards, (i) => plan.open(shardDirectory(directory, from.generation, i), i, from.shards));
    const held: HeldShard[] = [];
    try {
      const folders = Array.from({ length: plan.shards }, (_, i) => shardDirectory(directory, layout.generation, i));
      copyAll(plan, old, held, folders);
      for (let i = 0; i < plan.shards; i++) plan.open(folders[i]!, i, plan.shards).close(); // stores the real settings
      for (const shard of held) shard.retire(); // uncommitted: undone if this process dies before the switch
      replaceLayout(directory, layout, plan.fileMode);
      for (const shard of held) shard.commit();
    } finally {
      for (const shard of held) shard.close();
      for (const cache of old) cache.close();
    }
    try {
      removeGeneration(directory, from.generation, from.shards);
    } catch {
      // The switch is done; a folder that could not be removed now (another process opening it
      // at this moment) is garbage the next migration's removeStale deletes.
    }
    return layout;
  } finally {
    rmSync(lock, { force: true });
  }
}

/**
 * Locks and copies each old shard in turn (shard order, as FanoutCache.transact
 * takes them, so the two cannot deadlock), keeping every lock; then checks
 * that the new shards hold as many entries as were copied.
 */
function copyAll(plan: MigrationPlan, old: Cache[], held: HeldShard[], folders: string[]): void {
  // The copy must not cull: the per-shard size limit of the new count (or the
  // space a young database takes) would otherwise drop entries while they are
  // written. The real cullLimit is stored once every entry is in.
  const next: Cache[] = [];
  try {
    openAll(plan.shards, (i) => plan.open(folders[i]!, i, plan.shards, { cullLimit: 0 }), next);
    let copied = 0;
    for (const source of old) {
      const shard = new HeldShard(source.directory, LOCK_WAIT);
      held.push(shard);
      copied += copyShard(shard, source.disk, next);
    }
    const stored = next.reduce((sum, cache) => sum + cache.length, 0);
    if (stored !== copied) {
      throw new ShardLayoutError(
        plan.directory,
        `migration wrote ${stored} of ${copied} entries into the new shards; ` +
          'the old layout is still in force and unchanged — free disk space or raise the size limit and retry',
      );
    }
  } finally {
    for (const cache of next) cache.close();
  }
}

/**
 * Copies live entries (value, remaining expiry, tag) in batches, one
 * transaction per target shard and batch; returns how many were written.
 * Rows are read through the held connection: the old shard's own Cache would
 * write on a get (LRU bookkeeping, statistics) and wait for our own lock.
 */
function copyShard(source: HeldShard, disk: Disk, targets: Cache[]): number {
  let written = 0;
  const pending: [Key, Value, number | null, string | null][][] = targets.map(() => []);
  const flush = (index: number) => {
    const target = targets[index]!;
    const rows = pending[index]!;
    // Expiry is absolute on the cache clock; carry over the remaining time.
    const now = target.clock();
    target.transact(() => {
      for (const [key, value, expireTime, tag] of rows) {
        const expire = expireTime === null ? null : expireTime - now;
        if (expire !== null && expire <= 0) continue;
        if (!target.set(key, value, { expire, tag })) {
          throw new ShardLayoutError(
            disk.directory,
            `migration could not write key ${String(key)}; the old layout is still in force`,
          );
        }
        written++;
      }
    });
    rows.length = 0;
  };
  const now = targets[0]!.clock();
  for (const [dbKey, kind, expireTime, tag, mode, filename, stored] of source.rows()) {
    if (expireTime !== null && expireTime <= now) continue;
    let value: Value;
    try {
      value = disk.fetch(mode, filename, stored);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // a spill file gone: a miss for get() too
      throw error;
    }
    const key = disk.decodeKey(dbKey, kind);
    const index = shardOf(targets[0]!.disk, key, targets.length);
    pending[index]!.push([key, value, expireTime, tag]);
    if (pending[index]!.length >= BATCH) flush(index);
  }
  for (let i = 0; i < targets.length; i++) if (pending[i]!.length > 0) flush(i);
  return written;
}

/** Opens n shards; if one fails (damaged cache.db, ...), the ones already open are closed before the error goes on. */
export function openAll(n: number, open: (index: number) => Cache, into: Cache[] = []): Cache[] {
  try {
    for (let i = 0; i < n; i++) into.push(open(i));
    return into;
  } catch (error) {
    for (const cache of into.splice(0)) cache.close();
    throw error;
  }
}

function takeLock(directory: string): string {
  const file = join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(file, 'utf8'));
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new ShardLayoutError(directory, `a migration is running in process ${pid}; wait for it to finish`);
      }
      rmSync(file, { force: true }); // left by a migration that was killed
    }
  }
  throw new ShardLayoutError(directory, `cannot take ${LOCK_FILE}; remove it if no migration is running`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Generations other than the current one: half-written by a killed migration, or left after a switch. */
function removeStale(directory: string, current: number): void {
  for (const name of readdirSync(directory)) {
    const match = /^gen-(\d+)$/.exec(name);
    if (match && Number(match[1]) !== current) rmSync(join(directory, name), { recursive: true, force: true });
  }
  if (current !== 0) {
    for (const name of readdirSync(directory)) {
      if (/^\d{3}$/.test(name)) rmSync(join(directory, name), { recursive: true, force: true });
    }
  }
}

function removeGeneration(directory: string, generation: number, shards: number): void {
  const root = generationRoot(directory, generation);
  if (root !== undefined) {
    rmSync(root, { recursive: true, force: true });
    return;
  }
  for (let i = 0; i < shards; i++) {
    const folder = shardDirectory(directory, 0, i);
    if (existsSync(folder)) rmSync(folder, { recursive: true, force: true });
  }
}
