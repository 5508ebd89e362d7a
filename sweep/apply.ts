/**
 * `--apply DIR`: writes the recommended engine settings into an existing
 * cache through the engine (inspectCacheDirectory, writeCacheSettings): it
 * stores explicit options in cache.db's Settings table on open (as
 * python-diskcache does), and later opens without options read them back.
 *
 * Not everything a grid varies can be stored: `procs` describes the
 * workload, `timeout` is per connection, page_size and auto_vacuum are fixed
 * when cache.db is created, and backend options such as `shards` shape the
 * directory itself. Those are reported as skipped, with the reason.
 */
import {
  inspectCacheDirectory,
  NotACacheError,
  writeCacheSettings,
  type ExistingCache,
} from '../engine/existing-cache.js';
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
 * The cache directories under DIR, as the engine finds them: DIR itself when
 * it holds one cache, or the shards of a fanout directory. Throws
 * APPLY_TARGET naming the problem; nothing is created.
 */
export function findCacheDirectories(dir: string): string[] {
  return existingCache(dir).cacheDirectories;
}

function existingCache(dir: string): ExistingCache {
  try {
    return inspectCacheDirectory(dir);
  } catch (error) {
    if (!(error instanceof NotACacheError)) throw error;
    throw new SweepError(
      'APPLY_TARGET',
      `--apply ${dir}: ${error.detail}; point --apply at an existing cache directory (one holding cache.db)`,
    );
  }
}

/** The engine values of a combination: its grid values, and the defaults for axes it leaves out (the added reference). */
export function engineValues(
  combination: Combination,
  grid: Grid,
): { option: SettingName; name: string; text: string; value: unknown }[] {
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
  const existing = existingCache(dir);
  const options: Partial<Record<SettingName, unknown>> = {};
  const applied: ApplyOutcome['applied'] = {};
  const skipped: ApplyOutcome['skipped'] = [];
  for (const { option, name, text, value } of engineValues(combination, grid)) {
    const spec = SETTINGS[option];
    if (!spec.persisted)
      skipped.push({
        name,
        value: text,
        reason: `${spec.name} is per connection and not stored in cache.db; pass ${name}=${text} when opening the cache`,
      });
    else if (FIXED_AT_CREATION.has(option))
      skipped.push({
        name,
        value: text,
        reason: `${spec.name} is fixed when cache.db is created; create a new cache with ${name}=${text}`,
      });
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
      reason:
        axis.kind === 'harness' || axis.kind === 'param'
          ? `${axis.name} describes the workload, not the cache`
          : `${axis.name} is an option of the ${combination.backend.split(':')[0]} backend, fixed when its directory is laid out`,
    });
  }
  // The values were parsed by the engine's own parsers; Cache validates them again on open.
  // A FanoutCache directory is opened as one, so size_limit is split across its shards as the engine does it.
  const settings = writeCacheSettings(existing, options as CacheOptions);
  return { directories: existing.cacheDirectories, applied, skipped, settings };
}
