import type { BackendOptions, OptionDoc } from '../backend.js';
import { BackendSpecError } from '../spec.js';
import { choiceOption, integerOption, rejectUnknownOptions, secondsOption, sizeOption } from '../options.js';

/** python-diskcache's own settings (DEFAULT_SETTINGS in diskcache/core.py), passed to Cache/FanoutCache as keyword arguments. */
export const DISKCACHE_SETTING_DOCS: Record<string, OptionDoc> = {
  size_limit: { description: 'bytes before culling (size, e.g. 1GiB)', default: '1073741824' },
  cull_limit: { description: 'most entries culled per write', default: '10' },
  eviction_policy: {
    description: 'least-recently-stored, least-recently-used, least-frequently-used or none',
    default: 'least-recently-stored',
  },
  statistics: { description: 'count hits and misses (yes/no)', default: 'no' },
  sqlite_journal_mode: { description: 'SQLite journal mode', default: 'wal' },
  sqlite_synchronous: { description: 'off, normal or full', default: 'normal' },
  sqlite_mmap_size: { description: 'SQLite mmap size (size)', default: '67108864' },
  sqlite_cache_size: { description: 'SQLite page cache, in pages', default: '8192' },
  disk_min_file_size: { description: 'values at least this big go to files (size)', default: '32768' },
};

const POLICIES = ['least-recently-stored', 'least-recently-used', 'least-frequently-used', 'none'] as const;
const JOURNAL_MODES = ['wal', 'delete', 'truncate', 'persist', 'memory', 'off'] as const;
const SYNCHRONOUS = ['off', 'normal', 'full'] as const;

export interface DiskcacheOptions {
  timeout: number;
  shards?: number;
  /** Only the settings the user gave: diskcache applies its own defaults to the rest. */
  settings: Record<string, string | number>;
}

/**
 * `py-diskcache:timeout=1,sqlite_synchronous=full` → Cache arguments; names a
 * bad option. `fanout` adds shards and FanoutCache's 10 ms timeout default.
 */
export function parseDiskcacheOptions(
  backend: string,
  options: BackendOptions,
  known: Record<string, OptionDoc>,
  fanout: boolean,
): DiskcacheOptions {
  rejectUnknownOptions(backend, options, known);
  const settings: Record<string, string | number> = {};
  const given = (name: string): string | undefined => options[name];
  if (given('size_limit') !== undefined)
    settings.size_limit = sizeOption(backend, 'size_limit', given('size_limit'), 0);
  if (given('cull_limit') !== undefined)
    settings.cull_limit = integerOption(backend, 'cull_limit', given('cull_limit'), 0);
  if (given('eviction_policy') !== undefined)
    settings.eviction_policy = choiceOption(
      backend,
      'eviction_policy',
      given('eviction_policy'),
      POLICIES,
      'least-recently-stored',
    );
  if (given('statistics') !== undefined)
    settings.statistics =
      choiceOption(backend, 'statistics', given('statistics'), ['yes', 'no'] as const, 'no') === 'yes' ? 1 : 0;
  if (given('sqlite_journal_mode') !== undefined)
    settings.sqlite_journal_mode = choiceOption(
      backend,
      'sqlite_journal_mode',
      given('sqlite_journal_mode'),
      JOURNAL_MODES,
      'wal',
    );
  if (given('sqlite_synchronous') !== undefined)
    settings.sqlite_synchronous = SYNCHRONOUS.indexOf(
      choiceOption(backend, 'sqlite_synchronous', given('sqlite_synchronous'), SYNCHRONOUS, 'normal'),
    );
  if (given('sqlite_mmap_size') !== undefined)
    settings.sqlite_mmap_size = sizeOption(backend, 'sqlite_mmap_size', given('sqlite_mmap_size'), 0);
  if (given('sqlite_cache_size') !== undefined)
    settings.sqlite_cache_size = integerOption(backend, 'sqlite_cache_size', given('sqlite_cache_size'), 0);
  if (given('disk_min_file_size') !== undefined)
    settings.disk_min_file_size = sizeOption(backend, 'disk_min_file_size', given('disk_min_file_size'), 0);
  const timeout = secondsOption(backend, 'timeout', options.timeout, fanout ? 0.01 : 60);
  if (timeout === null)
    throw new BackendSpecError(`backend ${backend}: option timeout="none" is not allowed; diskcache needs seconds > 0`);
  if (!fanout) return { timeout, settings };
  const shards = integerOption(backend, 'shards', options.shards, 8);
  if (shards < 1)
    throw new BackendSpecError(`backend ${backend}: option shards="${options.shards}" must be at least 1`);
  return { timeout, shards, settings };
}
