import { join } from 'node:path';
import RocksDB from 'rocksdb-native';
import type { Backend, BackendDescription, BackendFactory, BackendOptions, BackendSpec, Capability, Value } from './backend.js';
import { describeBackend } from './describe-backend.js';
import { choiceOption, rejectUnknownOptions, sizeOption } from './options.js';
import { provisionLockedDirectory } from './locked-directory.js';
import { packageVersion } from './package-version.js';
import { BackendSpecError } from './spec.js';
import { readFixedSettings, type RocksdbFixedSettings } from './rocksdb-options-file.js';
import { decodeTagged, encodeTagged } from './tagged-value.js';

/**
 * RocksDB through rocksdb-native (Holepunch's binding of librocksdb; the
 * native binary is prebuilt inside the npm package). Like LevelDB, RocksDB
 * locks its directory, so exactly one process may open it for writing: the
 * factory declares `processLimit` and a run with more processes reports the
 * backend unavailable. (Its read-only and secondary modes would let other
 * processes read a snapshot, not share a live cache, so they are not used.)
 *
 * The binding's API is batch-based and asynchronous: a single get is a read
 * batch of one (`db.get`), a single set a write batch of one (`db.put`),
 * each flushed to libuv's thread pool and awaited. So the call style is
 * `async`, and every call pays for one thread-pool hop and one promise.
 *
 * Writes use RocksDB's default write options: the write-ahead log on and no
 * sync, which the binding does not let us change — durability `os-buffered`
 * (a process crash loses nothing, an OS crash may lose recent writes).
 */

const YES_NO = ['yes', 'no'] as const;
const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['getMany', 'setMany', 'deleteMany']);

interface RocksSettings {
  location: string;
  blockCache: boolean;
  writeBufferSize: number;
}

const DEFAULT_WRITE_BUFFER = 64 * 2 ** 20; // bytes of memtable before a flush to a table file (rocksdb-native default)

export class RocksdbBackend implements Backend {
  readonly name = 'rocksdb';
  readonly callStyle = 'async';
  readonly capabilities = CAPABILITIES;
  private handle: RocksDB | undefined;
  private fixed: RocksdbFixedSettings | undefined;

  constructor(private readonly settings: RocksSettings, readonly label = 'rocksdb') {}

  async open(): Promise<void> {
    const db = openDb(this.settings);
    try {
      await db.ready();
    } catch (error) {
      throw lockError(error, this.settings.location);
    }
    this.handle = db;
    this.fixed = readFixedSettings(this.settings.location);
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  async get(key: string): Promise<Value | undefined> {
    return decodeTagged((await this.db().get(key)) ?? undefined, this.name);
  }

  async set(key: string, value: Value, expireSeconds?: number): Promise<boolean> {
    if (expireSeconds !== undefined) throw new RangeError('rocksdb: no expire capability; RocksDB keeps no expiry here, so an expiring write is refused');
    await this.db().put(key, encodeTagged(value));
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const db = this.db();
    // RocksDB's delete does not say whether the key existed; look first (one process owns the database).
    const existed = (await db.get(key)) !== null;
    if (existed) await db.delete(key);
    return existed;
  }

  async clear(): Promise<void> {
    const batch = this.db().write({ capacity: 1, autoDestroy: true });
    // Keys are UTF-8, where the byte 0xFF never occurs, so [empty, 0xFF) covers every key.
    void batch.deleteRange(Buffer.alloc(0), Buffer.of(0xff));
    await batch.flush();
  }

  async getMany(keys: readonly string[]): Promise<(Value | undefined)[]> {
    const batch = this.db().read({ capacity: keys.length, autoDestroy: true });
    const pending = keys.map((key) => batch.get(key));
    await batch.flush();
    return (await Promise.all(pending)).map((value) => decodeTagged(value ?? undefined, this.name));
  }

  async setMany(entries: readonly (readonly [string, Value])[]): Promise<number> {
    const batch = this.db().write({ capacity: entries.length, autoDestroy: true });
    for (const [key, value] of entries) void batch.put(key, encodeTagged(value));
    await batch.flush();
    return entries.length;
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    const found = await this.getMany(keys);
    const present = keys.filter((_, i) => found[i] !== undefined);
    const batch = this.db().write({ capacity: present.length, autoDestroy: true });
    for (const key of present) void batch.delete(key);
    await batch.flush();
    return present.length;
  }

  describe(): BackendDescription {
    const s = this.settings;
    const fixed = this.fixed;
    return describeBackend(this, {
      // WAL on, sync off (the binding passes RocksDB's default WriteOptions): each write reaches the log with write(2).
      durability: 'os-buffered',
      version: `rocksdb-native ${packageVersion('rocksdb-native')}`,
      instance: { location: s.location },
      settings: {
        block_cache: s.blockCache,
        write_buffer_size: s.writeBufferSize,
        write_ahead_log: true,
        sync_per_write: false,
        ...(fixed ? { compression: fixed.compression, block_cache_bytes: fixed.blockCacheBytes, manual_wal_flush: fixed.manualWalFlush } : {}),
      },
    });
  }

  private db(): RocksDB {
    if (!this.handle) throw new Error('rocksdb: call open() before using the backend');
    return this.handle;
  }
}

function openDb(s: RocksSettings): RocksDB {
  // Index and filter blocks live in the block cache by default; RocksDB refuses that setting without a cache.
  return new RocksDB(s.location, { blockCache: s.blockCache, tableCacheIndexAndFilterBlocks: s.blockCache, writeBufferSize: s.writeBufferSize });
}

// A second process opening the directory fails inside RocksDB ("…/LOCK: Resource temporarily unavailable"); say what it means.
function lockError(error: unknown, location: string): Error {
  const cause = (error as Error).message;
  if (/LOCK|lock/.test(cause)) {
    return new Error(`rocksdb: ${location} is locked by another process; RocksDB allows one writing process per database (run it with --procs 1)`);
  }
  return new Error(`rocksdb: cannot open ${location}: ${cause}`);
}

const OPTIONS = {
  block_cache: { description: "yes: RocksDB's block cache (LRU; its size is RocksDB's default, 32 MiB, which rocksdb-native does not expose); no: read table blocks without a cache", default: 'yes' },
  write_buffer_size: { description: 'memtable size in bytes before it is flushed to a table file; units allowed', default: '64MiB' },
};

function parseRocksOptions(options: BackendOptions): Omit<RocksSettings, 'location'> {
  const b = 'rocksdb';
  rejectUnknownOptions(b, options, OPTIONS);
  const writeBufferSize = sizeOption(b, 'write_buffer_size', options.write_buffer_size, DEFAULT_WRITE_BUFFER);
  if (writeBufferSize < 64 * 1024) {
    throw new BackendSpecError(`backend rocksdb: option write_buffer_size="${options.write_buffer_size}" must be at least 64KiB`);
  }
  return { blockCache: choiceOption(b, 'block_cache', options.block_cache, YES_NO, 'yes') === 'yes', writeBufferSize };
}

export const rocksdbFactory: BackendFactory = {
  name: 'rocksdb',
  summary: 'RocksDB via rocksdb-native: one process only (RocksDB locks its directory); every call is an awaited batch of one.',
  options: OPTIONS,
  processLimit: { max: 1, reason: 'RocksDB locks its database directory, so only one process can open it for writing' },
  validate(options) {
    parseRocksOptions(options);
  },
  async provision(options, context) {
    const settings: RocksSettings = { location: join(context.directory, 'rocksdb'), ...parseRocksOptions(options) };
    return provisionLockedDirectory(settings, async (s) => {
      const db = openDb(s);
      await db.ready();
      await db.close();
    });
  },
  create(spec: BackendSpec, label) {
    // The spec is the RocksSettings this factory's provision produced.
    return new RocksdbBackend(spec as unknown as RocksSettings, label);
  },
};
