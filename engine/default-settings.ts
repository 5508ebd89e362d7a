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
  // bytes; 0: reads go through SQLite's page cache and read(), not a mapping (python-diskcache maps 64 MiB). Under
  // several writing processes each database change makes every connection remap as the file grows and fault its
  // pages back in: with 0, get p99 fell ~30% at 4 and 8 processes (docs/engine.md, "Memory-mapped reads").
  sqliteMmapSize: 0,
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
