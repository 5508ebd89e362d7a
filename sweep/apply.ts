/**
 * `--apply DIR`: writes the recommended engine settings into an existing
 * cache. The engine stores explicit options in cache.db's Settings table on
 * open (as python-diskcache does), so opening the cache once with them is the
 * whole write; later opens without options read them back.
 *
 * Not everything a grid varies can be stored: `procs` describes the
 * workload, `timeout` is per connection, page_size and auto_vacuum are fixed
 * when cache.db is created, and backend options such as `shards` shape the
 * directory itself. Those are reported as skipped, with the reason.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Cache } from '../engine/cache.js';
import { FanoutCache } from '../engine/fanout.js';
import { LAYOUT_FILE } from '../engine/fanout-layout.js';
import type { CacheOptions } from '../engine/options.js';
import { SETTINGS, type SettingName, type Settings } from '../engine/settings.js';
import { SweepError } from './errors.js';
import type { Grid } from './grid.js';
import type { Combination } from './plan.js';

export interface ApplyOutcome {
  /** The cache directories written (one, or every shard of a fanout directory). */
  directories: string[];
  /** Setting name (diskcache spelling) → value written. */
  applied: Record<string, string | number | boolean>;
  skipped: { name: string; value: string; reason: string }[];
  /** The settings a fresh open reports afterwards (of the FanoutCache, or of the first directory). */
  settings: Readonly<Settings>;
}

const FIXED_AT_CREATION = new Set<SettingName>(['sqlitePageSize', 'sqliteAutoVacuum']);

/**
 * The cache directories under DIR: DIR itself when it holds cache.db, or its
 * numbered shard folders (`000`, `001`, … as FanoutCache lays them out).
 * Throws APPLY_TARGET naming the problem; nothing is created.
 */
export function findCacheDirectories(dir: string): string[] {
  const root = resolve(dir);
  const fail = (problem: string): never => {
    throw new SweepError('APPLY_TARGET', `--apply ${dir}: ${problem}; point --apply at an existing cache directory (one holding cache.db)`);
  };
  if (!existsSync(root)) fail('no such directory');
  if (!statSync(root).isDirectory()) fail('not a directory');
  const shards = existsSync(join(root, 'cache.db'))
    ? [root]
    : readdirSync(root).filter((name) => /^\d{3}$/.test(name) && existsSync(join(root, name, 'cache.db'))).sort().map((name) => join(root, name));
  if (shards.length === 0) fail('holds no cache.db (nor fanout shard folders 000, 001, …), so it is not a cache');
  for (const shard of shards) checkIsCache(join(shard, 'cache.db'), fail);
  return shards;
}

function checkIsCache(file: string, fail: (problem: string) => never): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('Settings', 'Cache')").all();
    if (tables.length !== 2) fail(`${file} is a SQLite database without the cache's Settings and Cache tables`);
  } catch (error) {
    if (error instanceof SweepError) throw error;
    fail(`${file} cannot be read as SQLite (${(error as Error).message})`);
  } finally {
    db?.close();
  }
}

/** The engine values of a combination: its grid values, and the defaults for axes it leaves out (the added reference). */
export function engineValues(combination: Combination, grid: Grid): { option: SettingName; name: string; text: string; value: unknown }[] {
  return grid
    .filter((axis) => axis.kind === 'engine')
    .map((axis) => {
      const option = axis.option!;
      const text = combination.values[axis.name];
      const chosen = axis.values.find((v) => v.text === text);
      return chosen
        ? { option, name: axis.name, text: chosen.text, value: chosen.value }
        : { option, name: axis.name, text: String(SETTINGS[option].default), value: SETTINGS[option].default };
    });
}

export function applyRecommendation(dir: string, combination: Combination, grid: Grid): ApplyOutcome {
  const directories = findCacheDirectories(dir);
  const options: Partial<Record<SettingName, unknown>> = {};
  const applied: ApplyOutcome['applied'] = {};
  const skipped: ApplyOutcome['skipped'] = [];
  for (const { option, name, text, value } of engineValues(combination, grid)) {
    const spec = SETTINGS[option];
    if (!spec.persisted) skipped.push({ name, value: text, reason: `${spec.name} is per connection and not stored in cache.db; pass ${name}=${text} when opening the cache` });
    else if (FIXED_AT_CREATION.has(option)) skipped.push({ name, value: text, reason: `${spec.name} is fixed when cache.db is created; create a new cache with ${name}=${text}` });
    else {
      options[option] = value;
      applied[spec.name] = value as string | number | boolean;
    }
  }
  for (const axis of grid.filter((a) => a.kind !== 'engine')) {
    const text = combination.values[axis.name];
    if (text === undefined) continue;
    skipped.push({
      name: axis.name,
      value: text,
      reason: axis.kind === 'harness' || axis.kind === 'param' ? `${axis.name} describes the workload, not the cache` : `${axis.name} is an option of the ${combination.backend.split(':')[0]} backend, fixed when its directory is laid out`,
    });
  }
  // The values were parsed by the engine's own parsers; Cache validates them again on open.
  // A FanoutCache directory (fanout.json) is opened as one, so size_limit is split across its shards as the engine does it.
  const fanout = existsSync(join(resolve(dir), LAYOUT_FILE));
  const open = (withOptions?: CacheOptions): Cache | FanoutCache => (fanout ? new FanoutCache(resolve(dir), withOptions) : new Cache(directories[0], withOptions));
  if (fanout) open(options as CacheOptions).close();
  else for (const directory of directories) new Cache(directory, options as CacheOptions).close();
  const reopened = open();
  try {
    return { directories, applied, skipped, settings: reopened.settings };
  } finally {
    reopened.close();
  }
}
