import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Cache } from './cache.js';
import { CacheError } from './errors.js';
import { FanoutCache } from './fanout.js';
import { readLayout, shardDirectory } from './fanout-layout.js';
import { DB_FILE } from './open.js';
import type { CacheOptions } from './options.js';
import type { Settings } from './settings.js';

/** A path that is not an existing cache directory. `detail` says why, without the path's own prefix. */
export class NotACacheError extends CacheError {
  readonly directory: string;
  readonly detail: string;
  constructor(directory: string, detail: string) {
    super('NOT_A_CACHE', `${directory}: ${detail}; open an existing cache directory (one holding ${DB_FILE})`);
    this.directory = directory;
    this.detail = detail;
  }
}

/**
 * An existing cache directory: one Cache (cache.db in it), a FanoutCache
 * (its fanout.json layout), or plain Caches in numbered shard folders
 * (`000`, `001`, …) with no layout file.
 */
export interface ExistingCache {
  kind: 'cache' | 'fanout' | 'shards';
  directory: string;
  /** Every cache.db directory: the directory itself, or each shard in order. */
  cacheDirectories: string[];
}

/**
 * What is at `dir`, read without creating or changing anything. Throws
 * NotACacheError when it is not a cache: missing, not a directory, no cache
 * database, or a cache.db that is not the engine's (no Settings and Cache tables).
 */
export function inspectCacheDirectory(dir: string): ExistingCache {
  const directory = resolve(dir);
  const fail = (detail: string): never => {
    throw new NotACacheError(dir, detail);
  };
  if (!existsSync(directory)) fail('no such directory');
  if (!statSync(directory).isDirectory()) fail('not a directory');
  const layout = readLayout(directory);
  let found: ExistingCache;
  if (layout) {
    const shards = Array.from({ length: layout.shards }, (_, i) => shardDirectory(directory, layout.generation, i));
    found = { kind: 'fanout', directory, cacheDirectories: shards.filter((shard) => existsSync(join(shard, DB_FILE))) };
  } else if (existsSync(join(directory, DB_FILE))) {
    found = { kind: 'cache', directory, cacheDirectories: [directory] };
  } else {
    const shards = readdirSync(directory)
      .filter((name) => /^\d{3}$/.test(name) && existsSync(join(directory, name, DB_FILE)))
      .sort();
    found = { kind: 'shards', directory, cacheDirectories: shards.map((name) => join(directory, name)) };
  }
  if (found.cacheDirectories.length === 0)
    fail(`holds no ${DB_FILE} (nor fanout shard folders 000, 001, …), so it is not a cache`);
  for (const shard of found.cacheDirectories) checkIsCache(join(shard, DB_FILE), fail);
  return found;
}

function checkIsCache(file: string, fail: (detail: string) => never): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('Settings', 'Cache')")
      .all();
    if (tables.length !== 2) fail(`${file} is a SQLite database without the cache's Settings and Cache tables`);
  } catch (error) {
    if (error instanceof NotACacheError) throw error;
    fail(`${file} cannot be read as SQLite (${(error as Error).message})`);
  } finally {
    db?.close();
  }
}

/**
 * Stores settings in an existing cache directory, as opening it with them
 * does (explicit options are written to each cache.db's Settings table), and
 * answers the settings a fresh open then reports. A FanoutCache is opened as
 * one, so `sizeLimit` is its total, split across the shards; plain shard
 * folders are each written with the options as given.
 */
export function writeCacheSettings(existing: ExistingCache, options: CacheOptions): Readonly<Settings> {
  const open = (withOptions?: CacheOptions): Cache | FanoutCache =>
    existing.kind === 'fanout'
      ? new FanoutCache(existing.directory, withOptions)
      : new Cache(existing.cacheDirectories[0]!, withOptions);
  if (existing.kind === 'fanout') open(options).close();
  else for (const directory of existing.cacheDirectories) new Cache(directory, options).close();
  const reopened = open();
  try {
    return reopened.settings;
  } finally {
    reopened.close();
  }
}
