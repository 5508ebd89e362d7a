import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Cache, CacheTimeoutError, type CacheOptions } from '../engine/index.js';
import type { Backend, BackendDescription, BackendFactory, BackendOptions, BackendSpec, Capability, Value } from './backend.js';
import { BackendTimeoutError } from './backend.js';
import { engineOptionDocs, parseEngineOptions, snakeCaseSettings } from './engine-options.js';
import { checkExpire } from './options.js';
import { sqliteDurability, sqliteVersion } from './sqlite-info.js';
import { describeBackend } from './describe-backend.js';

/**
 * The engine's `Cache` (python-diskcache semantics): the design under test.
 * Options are the engine's settings in any spelling it accepts —
 * `sqlite:mmap_size=0,eviction_policy=none,size_limit=1GiB` — parsed by the
 * engine's own `parseSetting`, so the CLI and the engine never disagree.
 */

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['expire', 'add', 'incr', 'pop', 'read', 'getMany', 'setMany', 'deleteMany']);
const DIRECTORY = 'sqlite';

export class SqliteBackend implements Backend {
  readonly name = 'sqlite';
  readonly callStyle = 'sync';
  readonly capabilities = CAPABILITIES;
  private cache: Cache | undefined;

  /** `options` are camelCase engine options, already validated by the factory. */
  constructor(private readonly directory: string, private readonly options: CacheOptions, readonly label = 'sqlite') {}

  open(): void {
    this.cache = new Cache(this.directory, this.options);
  }

  close(): void {
    this.cache?.close();
    this.cache = undefined;
  }

  get(key: string): Value | undefined {
    return this.run((cache) => cache.get(key) as Value | undefined);
  }

  set(key: string, value: Value, expireSeconds?: number): boolean {
    checkExpire(this.name, expireSeconds);
    return this.run((cache) => cache.set(key, value, expireSeconds === undefined ? undefined : { expire: expireSeconds }));
  }

  delete(key: string): boolean {
    return this.run((cache) => cache.delete(key));
  }

  clear(): void {
    this.run((cache) => cache.clear());
  }

  add(key: string, value: Value, expireSeconds?: number): boolean {
    checkExpire(this.name, expireSeconds);
    return this.run((cache) => cache.add(key, value, expireSeconds === undefined ? undefined : { expire: expireSeconds }));
  }

  incr(key: string, delta: number): number {
    return this.run((cache) => cache.incr(key, delta));
  }

  pop(key: string): Value | undefined {
    return this.run((cache) => cache.pop(key) as Value | undefined);
  }

  read(key: string): Readable | undefined {
    return this.run((cache) => cache.read(key));
  }

  getMany(keys: readonly string[]): (Value | undefined)[] {
    return this.run((cache) => cache.getMany(keys) as (Value | undefined)[]);
  }

  setMany(entries: readonly (readonly [string, Value])[]): number {
    return this.run((cache) => cache.setMany(entries));
  }

  deleteMany(keys: readonly string[]): number {
    return this.run((cache) => cache.deleteMany(keys));
  }

  describe(): BackendDescription {
    const cache = this.cache ?? new Cache(this.directory, this.options);
    let settings;
    try {
      settings = cache.settings;
    } finally {
      // describe() before open() must not leave a connection behind.
      if (cache !== this.cache) cache.close();
    }
    return describeBackend(this, {
      durability: sqliteDurability(settings.sqliteJournalMode, settings.sqliteSynchronous),
      version: `SQLite ${sqliteVersion()}`,
      settings: snakeCaseSettings(settings),
      instance: { directory: this.directory },
    });
  }

  /** Runs one engine call; the engine's lock timeout becomes the harness's counted timeout. */
  private run<T>(call: (cache: Cache) => T): T {
    if (!this.cache) throw new Error('sqlite: call open() before using the backend');
    try {
      return call(this.cache);
    } catch (error) {
      throw mapError(error);
    }
  }
}

/** The engine's timeout (lock held too long) is the harness's timeout; everything else is an error. */
function mapError(error: unknown): unknown {
  return error instanceof CacheTimeoutError ? new BackendTimeoutError(`sqlite: ${error.message}`) : error;
}

/** Turns `mmap_size=0,eviction_policy=none` into engine options, naming a bad one. */
export function parseSqliteOptions(options: BackendOptions): CacheOptions {
  return parseEngineOptions('sqlite', options);
}

export const sqliteFactory: BackendFactory = {
  name: 'sqlite',
  summary: "The engine's Cache (python-diskcache semantics on better-sqlite3): the design under test.",
  options: engineOptionDocs(),
  validate(options) {
    parseSqliteOptions(options);
  },
  async provision(options, context) {
    const engineOptions = parseSqliteOptions(options);
    const directory = join(context.directory, DIRECTORY);
    // Create cache.db once here, so workers opening together never race to create the schema.
    new Cache(directory, engineOptions).close();
    return {
      spec: { directory, ...(engineOptions as Record<string, string | number | boolean>) },
      storagePath: directory,
      teardown: async () => {},
    };
  },
  create(spec: BackendSpec, label) {
    const { directory, ...options } = spec;
    return new SqliteBackend(String(directory), options as CacheOptions, label);
  },
};
