import type { SettingName, Settings } from './default-settings.js';
import { InvalidOptionError } from './errors.js';
import { bytes, choice, describe, flag, integer, spec, type SettingSpec } from './setting-spec.js';
import { closest } from './units.js';

export {
  DEFAULT_SETTINGS,
  type AutoVacuumMode,
  type EvictionPolicyName,
  type JournalMode,
  type LockWaitMode,
  type SettingName,
  type Settings,
  type SynchronousMode,
  type WalCheckpointMode,
} from './default-settings.js';
export type { SettingSpec, SettingUnit } from './setting-spec.js';

const POLICIES = ['least-recently-stored', 'least-recently-used', 'least-frequently-used', 'none'] as const;
const JOURNAL_MODES = ['wal', 'delete', 'truncate', 'persist', 'memory', 'off'] as const;
const SYNCHRONOUS = ['off', 'normal', 'full', 'extra'] as const;
const AUTO_VACUUM = ['none', 'full', 'incremental'] as const;
const LOCK_WAIT_MODES = ['sqlite', 'poll', 'bounded'] as const;
const WAL_CHECKPOINT_MODES = ['auto', 'commit', 'idle', 'thread'] as const;

/** Every setting: names, unit, default, validator. The CLI and sweep tools read this table. */
export const SETTINGS: { readonly [K in SettingName]: SettingSpec<K> } = {
  sizeLimit: spec(
    'sizeLimit',
    'size_limit',
    ['size'],
    'bytes',
    true,
    'approximate size limit; sets cull by policy while volume() is at or above it',
    bytes('sizeLimit'),
  ),
  cullLimit: spec(
    'cullLimit',
    'cull_limit',
    [],
    'count',
    true,
    'most rows removed per set (0 disables culling on set)',
    bytes('cullLimit'),
  ),
  evictionPolicy: spec(
    'evictionPolicy',
    'eviction_policy',
    ['policy'],
    'enum',
    true,
    'which rows cull removes first',
    choice('evictionPolicy', POLICIES),
    POLICIES,
  ),
  statistics: spec(
    'statistics',
    'statistics',
    ['stats'],
    'boolean',
    true,
    'count hits and misses (one extra write per get)',
    flag('statistics'),
  ),
  tagIndex: spec(
    'tagIndex',
    'tag_index',
    [],
    'boolean',
    true,
    'index the tag column so evict(tag) is fast',
    flag('tagIndex'),
  ),
  diskMinFileSize: spec(
    'diskMinFileSize',
    'disk_min_file_size',
    ['min_file_size'],
    'bytes',
    true,
    'values of at least this many bytes are stored in spill files',
    bytes('diskMinFileSize'),
  ),
  diskCompressLevel: spec(
    'diskCompressLevel',
    'disk_compress_level',
    ['compress_level'],
    'count',
    true,
    'zlib level (1 fastest … 9 smallest) for text, JSON and byte values; 0 stores them uncompressed',
    (value) => integer('diskCompressLevel', value, 0, 9),
  ),
  sqliteJournalMode: spec(
    'sqliteJournalMode',
    'sqlite_journal_mode',
    ['journal_mode'],
    'enum',
    true,
    'SQLite journal_mode pragma',
    choice('sqliteJournalMode', JOURNAL_MODES),
    JOURNAL_MODES,
  ),
  sqliteSynchronous: spec(
    'sqliteSynchronous',
    'sqlite_synchronous',
    ['synchronous'],
    'enum',
    true,
    'SQLite synchronous pragma',
    choice('sqliteSynchronous', SYNCHRONOUS),
    SYNCHRONOUS,
  ),
  sqliteMmapSize: spec(
    'sqliteMmapSize',
    'sqlite_mmap_size',
    ['mmap_size'],
    'bytes',
    true,
    'SQLite mmap_size pragma',
    bytes('sqliteMmapSize'),
  ),
  sqliteCacheSize: spec(
    'sqliteCacheSize',
    'sqlite_cache_size',
    ['cache_size'],
    'pages',
    true,
    'SQLite cache_size pragma (pages; negative means KiB)',
    (value) => integer('sqliteCacheSize', value, Number.MIN_SAFE_INTEGER),
  ),
  sqliteAutoVacuum: spec(
    'sqliteAutoVacuum',
    'sqlite_auto_vacuum',
    ['auto_vacuum'],
    'enum',
    true,
    'SQLite auto_vacuum pragma (new databases only)',
    choice('sqliteAutoVacuum', AUTO_VACUUM),
    AUTO_VACUUM,
  ),
  sqlitePageSize: spec(
    'sqlitePageSize',
    'sqlite_page_size',
    ['page_size'],
    'bytes',
    true,
    'SQLite page_size pragma (new databases only)',
    (value) => {
      const size = integer('sqlitePageSize', value, 512, 65536);
      if ((size & (size - 1)) !== 0) throw new InvalidOptionError('sqlitePageSize', `${size} is not a power of two`);
      return size;
    },
  ),
  timeout: spec(
    'timeout',
    'timeout',
    ['busy_timeout'],
    'seconds',
    false,
    'seconds a busy wait may last before CacheTimeoutError',
    (value) => {
      if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
        throw new InvalidOptionError('timeout', `expected seconds >= 0, got ${describe(value)}`);
      }
      return value === 0 ? 0 : value; // -0 as 0, like integer()
    },
  ),
  lockWait: spec(
    'lockWait',
    'lock_wait',
    [],
    'enum',
    false,
    "how a write waits for another connection's lock under WAL: sqlite (busy handler, sleeps ≥ 1 ms growing to 100 ms), poll (pauses from 25 µs to 0.5 ms) or bounded (pauses from 0.1 ms to 2 ms)",
    choice('lockWait', LOCK_WAIT_MODES),
    LOCK_WAIT_MODES,
  ),
  sqliteWalAutocheckpoint: spec(
    'sqliteWalAutocheckpoint',
    'sqlite_wal_autocheckpoint',
    ['wal_autocheckpoint'],
    'pages',
    false,
    'SQLite wal_autocheckpoint pragma: WAL pages that trigger a checkpoint (a quarter as many commits with walCheckpoint commit, idle or thread); larger means fewer checkpoints and, under synchronous=normal, more recent commits waiting for the sync that makes them durable',
    (value) => integer('sqliteWalAutocheckpoint', value, 1, 2 ** 31 - 1),
  ),
  walCheckpoint: spec(
    'walCheckpoint',
    'wal_checkpoint',
    [],
    'enum',
    false,
    'who checkpoints the WAL: auto (SQLite, inside the commit that passes 1000 pages), commit (the engine, after every sqlite_wal_autocheckpoint ÷ 4 commits of a connection, timed), idle (the engine, when the process is idle) or thread (the engine, on a thread of its own, so no call pays for it)',
    choice('walCheckpoint', WAL_CHECKPOINT_MODES),
    WAL_CHECKPOINT_MODES,
  ),
  fileMode: spec('fileMode', 'file_mode', [], 'mode', false, 'permission bits of cache.db and spill files', (value) =>
    integer('fileMode', value, 0, 0o7777),
  ),
  dirMode: spec(
    'dirMode',
    'dir_mode',
    [],
    'mode',
    false,
    'permission bits of the cache directory and spill folders',
    (value) => integer('dirMode', value, 0, 0o7777),
  ),
};

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

const normalise = (name: string) => name.trim().toLowerCase().replace(/-/g, '_');
const BY_SPELLING = new Map<string, SettingSpec>();
for (const name of SETTING_NAMES) {
  const s: SettingSpec = SETTINGS[name];
  for (const spelling of [s.option, s.name, ...s.aliases]) BY_SPELLING.set(normalise(spelling), s);
}

/** Finds a setting by option name, diskcache name or alias; throws naming the unknown one. */
export function findSetting(name: string): SettingSpec {
  const found = BY_SPELLING.get(normalise(name));
  if (found) return found;
  const hint = closest(name, BY_SPELLING.keys());
  throw new InvalidOptionError(
    name,
    hint
      ? `unknown setting; did you mean ${hint}?`
      : `unknown setting; known: ${SETTING_NAMES.map((n) => SETTINGS[n].name).join(', ')}`,
  );
}

/** `parseSetting('mmap_size', '64MiB')` → `['sqliteMmapSize', 67108864]`. */
export function parseSetting(name: string, text: string): [SettingName, Settings[SettingName]] {
  const s = findSetting(name);
  return [s.option, s.parse(text)];
}
