import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import type {
  Backend,
  BackendDescription,
  BackendFactory,
  BackendOptions,
  BackendSpec,
  Capability,
  Value,
} from './backend.js';
import { choiceOption, rejectUnknownOptions, sizeOption } from './options.js';
import { packageVersion } from './package-version.js';
import { decodeTagged, encodeTagged } from './tagged-value.js';
import { describeBackend } from './describe-backend.js';

/**
 * LMDB through the `lmdb` package: a memory-mapped B+tree in one file that
 * many processes open at once (readers never block; one writer at a time
 * holds LMDB's own lock). Each worker opens its own environment on the path
 * the parent created.
 *
 * Reads use getBinaryFast (no copy until the value is decoded); writes use
 * putSync/removeSync, one committed transaction per call, so a set's latency
 * includes its commit — with `no_sync=no` (the default) that is an fsync,
 * which is what makes it durable and what it costs (~280 µs here against
 * ~5 µs with `no_sync=yes`). Compare like with like: the durability is in
 * describe() and the results file.
 *
 * LMDB has no expiry, so the `expire` capability is absent. add/incr/pop and
 * the batch operations run inside one write transaction each, which LMDB
 * serialises across processes, so they are atomic, not emulated.
 */

const YES_NO = ['yes', 'no'] as const;
const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'add',
  'incr',
  'pop',
  'getMany',
  'setMany',
  'deleteMany',
]);

interface LmdbSettings {
  path: string;
  mapSize: number;
  noSync: boolean;
}

const DEFAULT_MAP_SIZE = 2 ** 30; // 1 GiB of address space; the file grows only as data is written

export class LmdbBackend implements Backend {
  readonly name = 'lmdb';
  readonly callStyle = 'sync';
  readonly capabilities = CAPABILITIES;
  private env: RootDatabase<Buffer, string> | undefined;

  constructor(
    private readonly settings: LmdbSettings,
    readonly label = 'lmdb',
  ) {}

  open(): void {
    this.env = openEnv(this.settings);
  }

  close(): Promise<void> | undefined {
    // lmdb-js closes once pending async writes settle; this backend writes only synchronously, so that is at once.
    const env = this.env;
    this.env = undefined;
    return env?.close();
  }

  get(key: string): Value | undefined {
    return decodeTagged(this.db().getBinaryFast(key), this.name);
  }

  set(key: string, value: Value, expireSeconds?: number): boolean {
    rejectExpire(expireSeconds);
    this.db().putSync(key, encodeTagged(value));
    return true;
  }

  delete(key: string): boolean {
    return this.db().removeSync(key);
  }

  clear(): void {
    this.db().clearSync();
  }

  add(key: string, value: Value, expireSeconds?: number): boolean {
    rejectExpire(expireSeconds);
    const db = this.db();
    return db.transactionSync(() => {
      if (db.doesExist(key)) return false;
      db.putSync(key, encodeTagged(value));
      return true;
    });
  }

  incr(key: string, delta: number): number {
    const db = this.db();
    return db.transactionSync(() => {
      const current = decodeTagged(db.getBinaryFast(key), this.name);
      const base =
        current === undefined
          ? 0
          : Number(typeof current === 'string' ? current : Buffer.from(current).toString('utf8'));
      if (!Number.isFinite(base)) throw new TypeError(`lmdb: incr on key "${key}" whose value is not a number`);
      const next = base + delta;
      db.putSync(key, encodeTagged(String(next)));
      return next;
    });
  }

  pop(key: string): Value | undefined {
    const db = this.db();
    return db.transactionSync(() => {
      const value = decodeTagged(db.getBinaryFast(key), this.name);
      if (value !== undefined) db.removeSync(key);
      return value;
    });
  }

  getMany(keys: readonly string[]): (Value | undefined)[] {
    const db = this.db();
    // One read snapshot for the whole batch, as a multi-get should see.
    return db.transactionSync(() => keys.map((key) => decodeTagged(db.getBinaryFast(key), this.name)));
  }

  setMany(entries: readonly (readonly [string, Value])[]): number {
    const db = this.db();
    return db.transactionSync(() => {
      for (const [key, value] of entries) db.putSync(key, encodeTagged(value));
      return entries.length;
    });
  }

  deleteMany(keys: readonly string[]): number {
    const db = this.db();
    return db.transactionSync(() => keys.reduce((removed, key) => removed + (db.removeSync(key) ? 1 : 0), 0));
  }

  describe(): BackendDescription {
    return describeBackend(this, {
      // Without MDB_NOSYNC every commit ends in fsync; with it the OS writes the map back when it likes.
      durability: this.settings.noSync ? 'os-buffered' : 'fsync-per-write',
      version: `lmdb-js ${packageVersion('lmdb')}`,
      instance: { path: this.settings.path },
      settings: { map_size: this.settings.mapSize, no_sync: this.settings.noSync },
    });
  }

  private db(): RootDatabase<Buffer, string> {
    if (!this.env) throw new Error('lmdb: call open() before using the backend');
    return this.env;
  }
}

function openEnv(settings: LmdbSettings): RootDatabase<Buffer, string> {
  return open<Buffer, string>({
    path: settings.path,
    mapSize: settings.mapSize,
    noSync: settings.noSync,
    // Raw bytes in and out: the tag byte (tagged-value.ts) keeps text and bytes apart without a serialiser.
    encoding: 'binary',
    // The default read cache would answer gets from JS memory and hide LMDB's own read path.
    cache: false,
  });
}

// LMDB keeps no expiry; an expiring write is refused rather than stored forever.
function rejectExpire(expireSeconds: number | undefined): void {
  if (expireSeconds !== undefined)
    throw new RangeError('lmdb: no expire capability; LMDB keeps no expiry, so an expiring write is refused');
}

const OPTIONS = {
  map_size: {
    description: 'LMDB map size in bytes (address space reserved; lmdb-js grows it when full); units allowed (1GiB)',
    default: '1GiB',
  },
  no_sync: {
    description: 'yes: MDB_NOSYNC, commits skip fsync (os-buffered); no: every putSync commit fsyncs (durable)',
    default: 'no',
  },
};

function parseLmdbOptions(options: BackendOptions): Omit<LmdbSettings, 'path'> {
  rejectUnknownOptions('lmdb', options, OPTIONS);
  return {
    mapSize: sizeOption('lmdb', 'map_size', options.map_size, DEFAULT_MAP_SIZE),
    noSync: choiceOption('lmdb', 'no_sync', options.no_sync, YES_NO, 'no') === 'yes',
  };
}

export const lmdbFactory: BackendFactory = {
  name: 'lmdb',
  summary:
    'LMDB via lmdb-js: memory-mapped B+tree shared by all worker processes; sync get, putSync per write (fsync unless no_sync=yes).',
  options: OPTIONS,
  validate(options) {
    parseLmdbOptions(options);
  },
  async provision(options, context) {
    const settings: LmdbSettings = { path: join(context.directory, 'cache.mdb'), ...parseLmdbOptions(options) };
    // Create the environment once here, so workers opening together never race on creating the file.
    await openEnv(settings).close();
    return {
      spec: { ...settings },
      storagePath: settings.path,
      teardown: async () => {
        for (const suffix of ['', '-lock']) rmSync(settings.path + suffix, { force: true });
      },
    };
  },
  create(spec: BackendSpec, label) {
    // The spec is the LmdbSettings this factory's provision produced.
    return new LmdbBackend(spec as unknown as LmdbSettings, label);
  },
};
