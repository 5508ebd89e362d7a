/** Public API of the SQLite cache engine. */
export { Cache } from './cache.js';
export { Deque, type DequeOptions } from './deque.js';
export * from './recipes/index.js';
export { Index, type IndexOptions } from './index-map.js';
export { FanoutCache, FANOUT_DEFAULTS, type FanoutOptions } from './fanout.js';
export { inspectCacheDirectory, NotACacheError, writeCacheSettings, type ExistingCache } from './existing-cache.js';
export type { FanoutStats, ShardStats } from './fanout-ops.js';
export { HASH_NAME, fnv1a32, keyHash, shardOf } from './shard-hash.js';
export type { Entries, GetManyOptions } from './batch.js';
export type { PeekedEntry, PeekedItem, PeekOptions } from './ordered.js';
export {
  Disk,
  KIND,
  MODE,
  type DiskClass,
  type DiskOptions,
  type JsonData,
  type Key,
  type SqlValue,
  type StoredValue,
  type Value,
} from './disk.js';
export {
  CacheDirectoryError,
  CacheError,
  CacheIOError,
  CacheStateError,
  CacheTimeoutError,
  CorruptCacheError,
  CounterOverflowError,
  InvalidKeyError,
  InvalidOptionError,
  InvalidValueError,
  LockTimeoutError,
  MissingKeyError,
  ShardLayoutError,
} from './errors.js';
export { EVICTION_POLICY, type EvictionSpec } from './eviction.js';
export type { CacheOptions } from './options.js';
export {
  DEFAULT_SETTINGS,
  SETTINGS,
  SETTING_NAMES,
  findSetting,
  parseSetting,
  type AutoVacuumMode,
  type EvictionPolicyName,
  type JournalMode,
  type LockWaitMode,
  type SettingName,
  type SettingSpec,
  type SettingUnit,
  type Settings,
  type SynchronousMode,
} from './settings.js';
export type { StoreOptions } from './arguments.js';
export type { CheckOptions } from './check.js';
export type { Stats, StatsOptions } from './maintenance.js';
export type { WriteTimes } from './write-timing.js';
export type { MemoCache, MemoizeOptions, Memoized } from './memoize.js';
export { memoizeAsync, type MemoizeAsyncOptions, type MemoizedAsync } from './memoize-async.js';
export type { FlightOptions } from './single-flight.js';
export type { PullOptions, PushOptions, QueueItem, Side } from './queue.js';
export type { Entry, GetOptions } from './store.js';
