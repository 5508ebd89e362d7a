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

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['expire', 'add', 'incr', 'pop', 'read']);
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
    try {
      return this.open_().get(key) as Value | undefined;
    } catch (error) {
      throw mapError(error);
    }
  }

  set(key: string, value: Value, expireSeconds?: number): boolean {
    checkExpire(this.name, expireSeconds);
    try {
      return this.open_().set(key, value, expireSeconds === undefined ? undefined : { expire: expireSeconds });
    } catch (error) {
      throw mapError(error);
    }
  }

  delete(key: string): boolean {
    try {
      return this.open_().delete(key);
    } catch (error) {
      throw mapError(error);
    }
  }

  clear(): void {
    try {
      this.open_().clear();
    } catch (error) {
      throw mapError(error);
    }
  }

  add(key: string, value: Value, expireSeconds?: number): boolean {
    checkExpire(this.name, expireSeconds);
    try {
      return this.open_().add(key, value, expireSeconds === undefined ? undefined : { expire: expireSeconds });
    } catch (error) {
      throw mapError(error);
    }
  }

  incr(key: string, delta: number): number {
    try {
      return this.open_().incr(key, delta);
    } catch (error) {
      throw mapError(error);
    }
  }

  pop(key: string): Value | undefined {
    try {
      return this.open_().pop(key) as Value | undefined;
    } catch (error) {
      throw mapError(error);
    }
  }

  read(key: string): Readable | undefined {
    try {
      return this.open_().read(key);
    } catch (error) {
      throw mapError(error);
    }
  }

  describe(): BackendDescription {
    const settings = this.cache?.settings ?? new Cache(this.directory, this.options).settings;
    return describeBackend(this, {
      durability: sqliteDurability(settings.sqliteJournalMode, settings.sqliteSynchronous),
      version: `SQLite ${sqliteVersion()}`,
      settings: { directory: this.directory, ...snakeCaseSettings(settings) },
    });
  }

  private open_(): Cache {
    if (!this.cache) throw new Error('sqlite: call open() before using the backend');
    return this.cache;
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
  async provision(options, context) {
    const engineOptions = parseSqliteOptions(options);
    const directory = join(context.directory, DIRECTORY);
    // Create cache.db once here, so workers opening together never race to create the schema.
    new Cache(directory, engineOptions).close();
    return {
      spec: { directory, ...(engineOptions as Record<string, string | number | boolean>) },
      teardown: async () => {},
    };
  },
  create(spec: BackendSpec, label) {
    const { directory, ...options } = spec;
    return new SqliteBackend(String(directory), options as CacheOptions, label);
  },
};
