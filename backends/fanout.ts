import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { FANOUT_DEFAULTS, FanoutCache, SETTINGS, type FanoutOptions } from '../engine/index.js';
import type { Backend, BackendDescription, BackendFactory, BackendOptions, BackendSpec, Capability, Value } from './backend.js';
import { BackendTimeoutError } from './backend.js';
import { engineOptionDocs, parseEngineOptions, snakeCaseSettings } from './engine-options.js';
import { checkExpire, integerOption } from './options.js';
import { BackendSpecError } from './spec.js';
import { sqliteDurability, sqliteVersion } from './sqlite-info.js';
import { describeBackend } from './describe-backend.js';

/**
 * The engine's FanoutCache: N Cache shards, keys placed by a stable hash, and
 * a short lock timeout that turns waits into counted misses. Options are
 * `shards` plus every engine setting (`fanout:shards=8,timeout=10ms,mmap_size=0`).
 *
 * FanoutCache absorbs a timeout (set → false, get → default) as diskcache
 * does; this backend reads its running `timeouts` counter around each call
 * and, when it moved, throws BackendTimeoutError so the harness counts a
 * timeout instead of a plain miss.
 */

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['expire', 'add', 'incr', 'pop', 'read', 'getMany', 'setMany', 'deleteMany']);
const DIRECTORY = 'fanout';
const NAME = 'fanout';

export class FanoutBackend implements Backend {
  readonly name = NAME;
  readonly callStyle = 'sync';
  readonly capabilities = CAPABILITIES;
  private cache: FanoutCache | undefined;

  /** `options` are FanoutCache options, already validated by the factory. */
  constructor(private readonly directory: string, private readonly options: FanoutOptions, readonly label = NAME) {}

  open(): void {
    this.cache = new FanoutCache(this.directory, this.options);
  }

  close(): void {
    this.cache?.close();
    this.cache = undefined;
  }

  /** Runs one call; a move of the timeout counter during it becomes BackendTimeoutError. */
  private timed<T>(call: (cache: FanoutCache) => T): T {
    const cache = this.cache;
    if (!cache) throw new Error('fanout: call open() before using the backend');
    const before = cache.timeouts;
    const result = call(cache);
    if (cache.timeouts !== before) {
      throw new BackendTimeoutError(`fanout: a shard stayed locked for more than ${cache.timeout} s (the timeout option)`);
    }
    return result;
  }

  get(key: string): Value | undefined {
    return this.timed((cache) => cache.get(key) as Value | undefined);
  }

  set(key: string, value: Value, expireSeconds?: number): boolean {
    checkExpire(this.name, expireSeconds);
    return this.timed((cache) => cache.set(key, value, expireSeconds === undefined ? undefined : { expire: expireSeconds }));
  }

  delete(key: string): boolean {
    return this.timed((cache) => cache.delete(key));
  }

  clear(): void {
    this.timed((cache) => cache.clear());
  }

  add(key: string, value: Value, expireSeconds?: number): boolean {
    checkExpire(this.name, expireSeconds);
    return this.timed((cache) => cache.add(key, value, expireSeconds === undefined ? undefined : { expire: expireSeconds }));
  }

  incr(key: string, delta: number): number {
    return this.timed((cache) => cache.incr(key, delta)) as number; // null only with a timeout, which threw
  }

  pop(key: string): Value | undefined {
    return this.timed((cache) => cache.pop(key) as Value | undefined);
  }

  read(key: string): Readable | undefined {
    return this.timed((cache) => cache.read(key));
  }

  getMany(keys: readonly string[]): (Value | undefined)[] {
    return this.timed((cache) => cache.getMany(keys) as (Value | undefined)[]);
  }

  setMany(entries: readonly (readonly [string, Value])[]): number {
    return this.timed((cache) => cache.setMany(entries));
  }

  deleteMany(keys: readonly string[]): number {
    return this.timed((cache) => cache.deleteMany(keys));
  }

  describe(): BackendDescription {
    const cache = this.cache ?? new FanoutCache(this.directory, this.options);
    try {
      const settings = cache.settings;
      return describeBackend(this, {
        durability: sqliteDurability(settings.sqliteJournalMode, settings.sqliteSynchronous),
        version: `SQLite ${sqliteVersion()}`,
        settings: { shards: cache.shardCount, ...snakeCaseSettings(settings) },
        instance: { directory: this.directory },
      });
    } finally {
      if (cache !== this.cache) cache.close();
    }
  }
}

/** `shards=8,timeout=10ms,…` → FanoutCache options; names a bad one. */
export function parseFanoutOptions(options: BackendOptions): FanoutOptions {
  const { shards, ...settings } = options;
  const count = integerOption(NAME, 'shards', shards, FANOUT_DEFAULTS.shards);
  if (count < 1 || count > 999) throw new BackendSpecError(`backend ${NAME}: option shards="${shards}" must be 1..999`);
  return { ...parseEngineOptions(NAME, settings), shards: count };
}

export const fanoutFactory: BackendFactory = {
  name: NAME,
  summary: "The engine's FanoutCache: N Cache shards by a stable key hash, short lock timeouts counted as timeouts.",
  options: {
    shards: { description: 'number of Cache shards (subfolders); fixed when the directory is created', default: String(FANOUT_DEFAULTS.shards) },
    ...engineOptionDocs({
      timeout: {
        description: `${SETTINGS.timeout.description}; here a shorter wait, after which the operation is given up and counted as a timeout (seconds; also spelled busy_timeout)`,
        default: String(FANOUT_DEFAULTS.timeout),
      },
      size_limit: { description: `${SETTINGS.sizeLimit.description}; the total, split evenly across shards (bytes)`, default: String(SETTINGS.sizeLimit.default) },
    }),
  },
  validate(options) {
    parseFanoutOptions(options);
  },
  async provision(options, context) {
    const fanoutOptions = parseFanoutOptions(options);
    const directory = join(context.directory, DIRECTORY);
    // Create the layout and every shard's cache.db once here, so workers never race to create them.
    new FanoutCache(directory, fanoutOptions).close();
    return {
      spec: { directory, ...(fanoutOptions as Record<string, string | number | boolean>) },
      storagePath: directory,
      teardown: async () => {},
    };
  },
  create(spec: BackendSpec, label) {
    const { directory, ...options } = spec;
    return new FanoutBackend(String(directory), options as FanoutOptions, label);
  },
};
