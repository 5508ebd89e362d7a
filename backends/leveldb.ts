import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { Backend, BackendDescription, BackendFactory, BackendOptions, BackendSpec, Value } from './backend.js';
import { choiceOption, rejectUnknownOptions, sizeOption } from './options.js';
import { provisionLockedDirectory } from './locked-directory.js';
import { packageVersion } from './package-version.js';
import { decodeTagged, encodeTagged } from './tagged-value.js';
import { describeBackend } from './describe-backend.js';
import { LevelStoreBackend } from './level-store-backend.js';

/**
 * LevelDB through classic-level. LevelDB takes an exclusive lock on its
 * directory: exactly one process may open it. The factory says so
 * (`processLimit`), and the harness refuses a run with more processes than
 * that, reporting the backend as unavailable with the fix (`--procs 1`),
 * rather than quietly running fewer processes than the other backends and
 * comparing unlike loads.
 *
 * The backend is async because LevelDB's writes are (they run on libuv's
 * thread pool). Gets use classic-level's getSync, which reads on the calling
 * thread, so a get pays for one resolved promise, not a thread-pool hop.
 *
 * Capabilities are the ones LevelDB has natively: getMany, and setMany /
 * deleteMany as one atomic write batch. No expiry, and no atomic
 * read-modify-write, so expire, add, incr and pop are absent.
 */

const YES_NO = ['yes', 'no'] as const;

interface LevelSettings {
  location: string;
  /** fsync the log on every write (`sync: true` per put/del/batch). */
  sync: boolean;
  cacheSize: number;
  writeBufferSize: number;
  compression: boolean;
}

const DEFAULTS = {
  cacheSize: 8 * 2 ** 20, // bytes, LevelDB's LRU block cache (classic-level default)
  writeBufferSize: 4 * 2 ** 20, // bytes of memtable before it is written to a table file (classic-level default)
};

type Db = ClassicLevel<string, Uint8Array>;

export class LeveldbBackend extends LevelStoreBackend<Db> implements Backend {
  readonly name = 'leveldb';

  constructor(
    private readonly settings: LevelSettings,
    readonly label = 'leveldb',
  ) {
    super(settings.sync);
  }

  async open(): Promise<void> {
    const db = openDb(this.settings);
    try {
      await db.open();
    } catch (error) {
      throw lockError(error, this.settings.location);
    }
    this.handle = db;
  }

  get(key: string): Promise<Value | undefined> {
    try {
      return Promise.resolve(decodeTagged(this.db().getSync(key), this.name));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async set(key: string, value: Value, expireSeconds?: number): Promise<boolean> {
    this.refuseExpire(expireSeconds, 'LevelDB');
    await this.db().put(key, encodeTagged(value), this.writeOptions);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const db = this.db();
    // LevelDB's delete does not say whether the key existed; look first (one process owns the database, so only this process's own unfinished writes could slip between).
    const existed = db.getSync(key) !== undefined;
    if (existed) await db.del(key, this.writeOptions);
    return existed;
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    const db = this.db();
    const present = keys.filter((key) => db.getSync(key) !== undefined);
    await db.batch(
      present.map((key) => ({ type: 'del' as const, key })),
      this.writeOptions,
    );
    return present.length;
  }

  describe(): BackendDescription {
    const s = this.settings;
    return describeBackend(this, {
      // Without sync LevelDB appends to its log with write() only: a process crash loses nothing, an OS crash may.
      durability: s.sync ? 'fsync-per-write' : 'os-buffered',
      version: `classic-level ${packageVersion('classic-level')}`,
      instance: { location: s.location },
      settings: {
        sync: s.sync,
        cache_size: s.cacheSize,
        write_buffer_size: s.writeBufferSize,
        compression: s.compression,
      },
    });
  }
}

function openDb(s: LevelSettings): Db {
  return new ClassicLevel<string, Uint8Array>(s.location, {
    keyEncoding: 'utf8',
    valueEncoding: 'view',
    cacheSize: s.cacheSize,
    writeBufferSize: s.writeBufferSize,
    compression: s.compression,
  });
}

// A second process opening the directory fails deep inside LevelDB ("lock ... already held by process"); say what it means.
function lockError(error: unknown, location: string): Error {
  const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
  if (/lock/i.test(cause)) {
    return new Error(
      `leveldb: ${location} is locked by another process; LevelDB allows one process per database (run it with --procs 1)`,
    );
  }
  return new Error(`leveldb: cannot open ${location}: ${cause}`);
}

const OPTIONS = {
  sync: {
    description: "yes: fsync LevelDB's log on every write (fsync-per-write); no: write() only (os-buffered)",
    default: 'no',
  },
  cache_size: { description: 'LevelDB block cache in bytes; units allowed (8MiB)', default: '8MiB' },
  write_buffer_size: {
    description: 'memtable size in bytes before it is flushed to a table file; units allowed',
    default: '4MiB',
  },
  compression: { description: 'yes: Snappy-compress table blocks; no: store them raw', default: 'yes' },
};

function parseLevelOptions(options: BackendOptions): Omit<LevelSettings, 'location'> {
  const b = 'leveldb';
  rejectUnknownOptions(b, options, OPTIONS);
  return {
    sync: choiceOption(b, 'sync', options.sync, YES_NO, 'no') === 'yes',
    cacheSize: sizeOption(b, 'cache_size', options.cache_size, DEFAULTS.cacheSize),
    writeBufferSize: sizeOption(b, 'write_buffer_size', options.write_buffer_size, DEFAULTS.writeBufferSize),
    compression: choiceOption(b, 'compression', options.compression, YES_NO, 'yes') === 'yes',
  };
}

export const leveldbFactory: BackendFactory = {
  name: 'leveldb',
  summary: 'LevelDB via classic-level: one process only (LevelDB locks its directory); getSync reads, async writes.',
  options: OPTIONS,
  processLimit: { max: 1, reason: 'LevelDB locks its database directory, so only one process can open it' },
  validate(options) {
    parseLevelOptions(options);
  },
  async provision(options, context) {
    const settings: LevelSettings = { location: join(context.directory, 'leveldb'), ...parseLevelOptions(options) };
    return provisionLockedDirectory(settings, async (s) => {
      const db = openDb(s);
      await db.open();
      await db.close();
    });
  },
  create(spec: BackendSpec, label) {
    // The spec is the LevelSettings this factory's provision produced.
    return new LeveldbBackend(spec as unknown as LevelSettings, label);
  },
};
