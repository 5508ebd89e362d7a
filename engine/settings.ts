import { InvalidOptionError } from './errors.js';
import { closest, parseBoolean, parseBytes, parseCount, parseMode, parseSeconds } from './units.js';

export type EvictionPolicyName = 'least-recently-stored' | 'least-recently-used' | 'least-frequently-used' | 'none';
export type JournalMode = 'wal' | 'delete' | 'truncate' | 'persist' | 'memory' | 'off';
export type SynchronousMode = 'off' | 'normal' | 'full' | 'extra';
export type AutoVacuumMode = 'none' | 'full' | 'incremental';
export type LockWaitMode = 'sqlite' | 'poll' | 'bounded';
export type WalCheckpointMode = 'auto' | 'commit' | 'idle' | 'thread';

/** Resolved settings of an open cache (`cache.settings`). */
export interface Settings {
  sizeLimit: number;
  cullLimit: number;
  evictionPolicy: EvictionPolicyName;
  statistics: boolean;
  tagIndex: boolean;
  diskMinFileSize: number;
  diskCompressLevel: number;
  sqliteJournalMode: JournalMode;
  sqliteSynchronous: SynchronousMode;
  sqliteMmapSize: number;
  sqliteCacheSize: number;
  sqliteAutoVacuum: AutoVacuumMode;
  sqlitePageSize: number;
  timeout: number;
  lockWait: LockWaitMode;
  walCheckpoint: WalCheckpointMode;
  sqliteWalAutocheckpoint: number;
  fileMode: number;
  dirMode: number;
}

export type SettingName = keyof Settings;

/** The defaults, in one place. Sizes in bytes, time in seconds. */
export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  sizeLimit: 2 ** 30, // bytes, 1 GiB
  cullLimit: 10, // rows removed per set, at most
  evictionPolicy: 'least-recently-stored',
  statistics: false, // hit/miss counting costs a write per get
  tagIndex: false, // index on tag, for fast evict(tag)
  diskMinFileSize: 2 ** 15, // bytes, 32 KiB: values this large go to spill files
  diskCompressLevel: 0, // zlib level 1-9 for text, JSON and byte values; 0 stores them uncompressed
  sqliteJournalMode: 'wal',
  sqliteSynchronous: 'normal',
  sqliteMmapSize: 2 ** 26, // bytes, 64 MiB
  sqliteCacheSize: 2 ** 13, // pages, 8192 (negative: KiB, as in SQLite)
  sqliteAutoVacuum: 'full', // only takes effect when the database is created
  sqlitePageSize: 4096, // bytes, only takes effect when the database is created
  timeout: 60, // seconds a write waits for the lock before CacheTimeoutError
  lockWait: 'sqlite', // SQLite's busy handler waits (sleeps of 1, 2, 5, 10 … ms); 'poll': the engine polls (tens of µs)
  sqliteWalAutocheckpoint: 1000, // pages in the WAL that trigger a checkpoint (SQLite's default); walCheckpoint 'commit'/'idle' count a quarter as many commits
  walCheckpoint: 'auto', // SQLite checkpoints the WAL inside the commit that passes 1000 pages; 'commit'/'idle': the engine does (engine/checkpointer.ts)
  fileMode: 0o600, // owner-only spill files and cache.db
  dirMode: 0o700, // owner-only directories
});

export type SettingUnit = 'bytes' | 'seconds' | 'count' | 'pages' | 'enum' | 'boolean' | 'mode';

export interface SettingSpec<K extends SettingName = SettingName> {
  /** camelCase option name of `new Cache(dir, options)`. */
  readonly option: K;
  /** python-diskcache's snake_case name; also the key in the Settings table. */
  readonly name: string;
  /** Other accepted spellings (e.g. without the `sqlite_` prefix). */
  readonly aliases: readonly string[];
  readonly unit: SettingUnit;
  readonly default: Settings[K];
  /** Stored in cache.db and reloaded on open (per-connection options are not). */
  readonly persisted: boolean;
  readonly choices?: readonly string[];
  readonly description: string;
  /** Checks a value given in code or read back from cache.db; throws InvalidOptionError. */
  readonly validate: (value: unknown) => Settings[K];
  /** Parses a text such as `64MiB`, `wal`, `true`; throws InvalidOptionError. */
  readonly parse: (text: string) => Settings[K];
}

function integer(option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidOptionError(option, `expected an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new InvalidOptionError(option, `${value} is out of range ${min}..${max}`);
  }
  // -0 passes Number.isInteger but is a double to V8: Node's fs asserts (aborts the
  // process) when a mode is not an Int32, so normalise it to 0 here.
  return value === 0 ? 0 : value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return value === null ? 'null' : typeof value;
}

type Parser = (text: string) => number | boolean | undefined;
const UNIT_HINT: Record<SettingUnit, string> = {
  bytes: 'a byte size such as 0, 4096, 32KiB, 64MiB or 1GiB',
  seconds: 'seconds such as 60, 0.5, 500ms or 2m',
  count: 'a whole number',
  pages: 'a whole number of pages',
  enum: '',
  boolean: 'true or false',
  mode: 'an octal file mode such as 600',
};
const PARSERS: Record<Exclude<SettingUnit, 'enum'>, Parser> = {
  bytes: parseBytes,
  seconds: parseSeconds,
  count: parseCount,
  pages: parseCount,
  boolean: parseBoolean,
  mode: parseMode,
};

function spec<K extends SettingName>(
  option: K,
  name: string,
  aliases: readonly string[],
  unit: SettingUnit,
  persisted: boolean,
  description: string,
  validate: (value: unknown) => Settings[K],
  choices?: readonly string[],
): SettingSpec<K> {
  const parse = (text: string): Settings[K] => {
    if (unit === 'enum') return validate(text.trim().toLowerCase());
    const parsed = PARSERS[unit](text);
    if (parsed === undefined) {
      throw new InvalidOptionError(option, `cannot read ${JSON.stringify(text)} as ${UNIT_HINT[unit]}`);
    }
    return validate(parsed);
  };
  return {
    option,
    name,
    aliases,
    unit,
    default: DEFAULT_SETTINGS[option],
    persisted,
    choices,
    description,
    validate,
    parse,
  };
}

function bytes(option: string, min = 0, max?: number) {
  return (value: unknown) => integer(option, value, min, max);
}

function choice<T extends string>(option: string, choices: readonly T[]) {
  return (value: unknown): T => {
    const lower = typeof value === 'string' ? value.toLowerCase() : value;
    if (!choices.includes(lower as T)) {
      throw new InvalidOptionError(option, `${describe(value)} is not one of ${choices.join(', ')}`);
    }
    return lower as T;
  };
}

function flag(option: string) {
  return (value: unknown): boolean => {
    // Stored booleans come back from SQLite as 0/1.
    if (value === true || value === 1) return true;
    if (value === false || value === 0) return false;
    throw new InvalidOptionError(option, `expected true or false, got ${describe(value)}`);
  };
}

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
