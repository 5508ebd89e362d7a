import { join } from 'node:path';
import { RocksLevel } from '@nxtedition/rocksdb';
import type {
  Backend,
  BackendDescription,
  BackendFactory,
  BackendOptions,
  BackendSpec,
  Durability,
  Value,
} from './backend.js';
import { describeBackend } from './describe-backend.js';
import { LevelStoreBackend } from './level-store-backend.js';
import { choiceOption, rejectUnknownOptions, sizeOption } from './options.js';
import { provisionLockedDirectory } from './locked-directory.js';
import { packageVersion } from './package-version.js';
import { BackendSpecError } from './spec.js';
import { readRecordedSettings, type RocksdbRecordedSettings } from './rocksdb-options-file.js';
import { decodeTagged, encodeTagged } from './tagged-value.js';

/**
 * RocksDB through @nxtedition/rocksdb (nxtedition's fork of Level's rocksdb
 * binding, RocksDB 9.7; its linux-x64 binary is prebuilt inside the npm
 * package). Like LevelDB, RocksDB locks its directory, so exactly one process
 * may open it for writing: the factory declares `processLimit` and a run with
 * more processes reports the backend unavailable. (Its read-only and
 * secondary modes would let other processes read a snapshot, not share a
 * live cache, so they are not used.)
 *
 * Call style: a get is `getMany([key])`, a MultiGet that the binding runs on
 * libuv's thread pool and resolves with a promise; a set is a write batch of
 * one that the binding writes on the calling thread (fsync included with
 * `sync=yes`) and resolves on the next tick. So the backend is `async`.
 */

const YES_NO = ['yes', 'no'] as const;
const COMPRESSIONS = ['none', 'zstd'] as const;

type Compression = (typeof COMPRESSIONS)[number];

interface RocksSettings {
  location: string;
  /** RocksDB's WriteOptions.sync on every write: the log is fdatasync'ed before the write returns. */
  sync: boolean;
  /** Block cache capacity in bytes; 0 opens table files with no block cache. */
  blockCacheBytes: number;
  compression: Compression;
  walCompression: Compression;
}

const DEFAULTS = {
  blockCacheBytes: 32 * 2 ** 20, // bytes, RocksDB's own default block cache size
  maxBlockCacheBytes: 2 ** 32 - 1, // the binding reads cacheSize as an unsigned 32-bit integer
};

export class RocksdbBackend extends LevelStoreBackend<RocksLevel> implements Backend {
  readonly name = 'rocksdb';
  private recorded: RocksdbRecordedSettings | undefined;

  constructor(
    private readonly settings: RocksSettings,
    readonly label = 'rocksdb',
  ) {
    super(settings.sync);
  }

  async open(): Promise<void> {
    const db = await openDb(this.settings);
    this.handle = db;
    this.recorded = readRecordedSettings(this.settings.location);
  }

  async get(key: string): Promise<Value | undefined> {
    const [value] = await this.db().getMany([key]);
    return decodeTagged(value, this.name);
  }

  async set(key: string, value: Value, expireSeconds?: number): Promise<boolean> {
    this.refuseExpire(expireSeconds, 'RocksDB');
    await this.db().batch([{ type: 'put', key, value: encodeTagged(value) }], this.writeOptions);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    // RocksDB's delete does not say whether the key existed; look first (one process owns the database).
    return (await this.deleteMany([key])) === 1;
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    const db = this.db();
    const found = await db.getMany([...keys]);
    const present = keys.filter((_, i) => found[i] !== undefined);
    if (present.length > 0)
      await db.batch(
        present.map((key) => ({ type: 'del' as const, key })),
        this.writeOptions,
      );
    return present.length;
  }

  describe(): BackendDescription {
    const s = this.settings;
    const recorded = this.recorded;
    return describeBackend(this, {
      durability: durabilityOf(s),
      version: `@nxtedition/rocksdb ${packageVersion('@nxtedition/rocksdb')}`,
      instance: { location: s.location },
      settings: {
        write_ahead_log: true,
        sync_per_write: s.sync,
        block_cache: s.blockCacheBytes,
        compression: s.compression,
        wal_compression: s.walCompression,
        // What RocksDB recorded in the OPTIONS file and LOG of the open database.
        ...(recorded
          ? {
              recorded_compression: recorded.compression,
              recorded_wal_compression: recorded.walCompression,
              recorded_block_cache_bytes: recorded.blockCacheBytes,
              manual_wal_flush: recorded.manualWalFlush,
            }
          : {}),
      },
    });
  }

  /**
   * RocksDB's own count of write-ahead-log writes and syncs since this process
   * opened the database (`rocksdb.dbstats`): with `sync=yes` every write is
   * one sync, with `sync=no` there are none. RocksDB prints counts of 10,000
   * and more rounded with a unit (`12K`), so large counts are approximate.
   */
  walCounters(): { writes: number; syncs: number } {
    const stats = this.db().getProperty('rocksdb.dbstats');
    const match = /Cumulative WAL: (\d+[KMGT]?) writes, (\d+[KMGT]?) syncs/.exec(stats);
    if (!match) throw new Error(`rocksdb: no "Cumulative WAL" line in rocksdb.dbstats: ${stats}`);
    return { writes: humanCount(match[1]!), syncs: humanCount(match[2]!) };
  }
}

// RocksDB's NumberToHumanString: plain below 10,000, then K, M, G, T (powers of 1,000).
function humanCount(text: string): number {
  const unit = 'KMGT'.indexOf(text.at(-1)!) + 1;
  return unit === 0 ? Number(text) : Number(text.slice(0, -1)) * 1000 ** unit;
}

/**
 * The write-ahead log is always on (the binding passes no `disableWAL`), so a
 * process crash never loses an acknowledged write; `sync` decides whether an
 * OS crash can.
 */
function durabilityOf(s: RocksSettings): Durability {
  return s.sync ? 'fsync-per-write' : 'os-buffered';
}

async function openDb(s: RocksSettings): Promise<RocksLevel> {
  const db = new RocksLevel(s.location, { valueEncoding: 'buffer' });
  try {
    await db.open({
      createIfMissing: true,
      cacheSize: s.blockCacheBytes,
      compression: s.compression === 'zstd',
      walCompression: s.walCompression === 'zstd',
      // RocksDB's own default level; its options dump is where the block cache's capacity is recorded.
      infoLogLevel: 'info',
    });
  } catch (error) {
    throw lockError(error, s.location);
  }
  return db;
}

// A second opener fails inside RocksDB ("…/LOCK: Resource temporarily unavailable" or "lock hold by current process"); say what it means.
function lockError(error: unknown, location: string): Error {
  const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
  if (/\/LOCK\b|lock hold/.test(cause)) {
    return new Error(
      `rocksdb: ${location} is locked by another process; RocksDB allows one writing process per database (run it with --procs 1)`,
    );
  }
  return new Error(`rocksdb: cannot open ${location}: ${cause}`);
}

const OPTIONS = {
  sync: {
    description:
      "yes: RocksDB's WriteOptions.sync, the log fdatasync'ed on every write (fsync-per-write); no: the log written with write() only (os-buffered)",
    default: 'no',
  },
  block_cache: {
    description:
      'block cache capacity in bytes (a HyperClockCache); 0 reads table blocks with no cache; units allowed, below 4GiB',
    default: '32MiB',
  },
  compression: {
    description: 'compression of table blocks: none, or zstd (with a 16 KiB dictionary)',
    default: 'none',
  },
  wal_compression: { description: 'compression of write-ahead-log records: none, or zstd', default: 'none' },
  wal: {
    description: 'on only: the binding has no way to turn the write-ahead log off (no disableWAL write option)',
    default: 'on',
  },
};

function parseRocksOptions(options: BackendOptions): Omit<RocksSettings, 'location'> {
  const b = 'rocksdb';
  rejectUnknownOptions(b, options, OPTIONS);
  if (options.wal !== undefined && options.wal.toLowerCase() !== 'on') {
    throw new BackendSpecError(
      `backend rocksdb: option wal="${options.wal}" cannot be honoured: @nxtedition/rocksdb passes no disableWAL write option, so RocksDB's write-ahead log is always on; use sync=no for the cheapest writes`,
    );
  }
  const blockCacheBytes = sizeOption(b, 'block_cache', options.block_cache, DEFAULTS.blockCacheBytes);
  if (blockCacheBytes > DEFAULTS.maxBlockCacheBytes) {
    throw new BackendSpecError(
      `backend rocksdb: option block_cache="${options.block_cache}" must be below 4GiB (the binding takes a 32-bit size)`,
    );
  }
  return {
    sync: choiceOption(b, 'sync', options.sync, YES_NO, 'no') === 'yes',
    blockCacheBytes,
    compression: choiceOption(b, 'compression', options.compression, COMPRESSIONS, 'none'),
    walCompression: choiceOption(b, 'wal_compression', options.wal_compression, COMPRESSIONS, 'none'),
  };
}

export const rocksdbFactory: BackendFactory = {
  name: 'rocksdb',
  summary:
    'RocksDB via @nxtedition/rocksdb: one process only (RocksDB locks its directory); gets on the thread pool, writes on the calling thread.',
  options: OPTIONS,
  processLimit: { max: 1, reason: 'RocksDB locks its database directory, so only one process can open it for writing' },
  validate(options) {
    parseRocksOptions(options);
  },
  async provision(options, context) {
    const settings: RocksSettings = { location: join(context.directory, 'rocksdb'), ...parseRocksOptions(options) };
    return provisionLockedDirectory(settings, async (s) => {
      const db = await openDb(s);
      await db.close();
    });
  },
  create(spec: BackendSpec, label) {
    // The spec is the RocksSettings this factory's provision produced.
    return new RocksdbBackend(spec as unknown as RocksSettings, label);
  },
};
