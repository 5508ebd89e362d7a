import type { Readable } from 'node:stream';
import type { Cache, FanoutCache } from '../engine/index.js';
import type { Backend, BackendDescription, Capability, Value } from './backend.js';
import { describeBackend } from './describe-backend.js';
import { snakeCaseSettings } from './engine-options.js';
import { checkExpire } from './options.js';
import { sqliteDurability, sqliteVersion } from './sqlite-info.js';

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'expire',
  'add',
  'incr',
  'pop',
  'read',
  'getMany',
  'setMany',
  'deleteMany',
]);

/**
 * What `sqlite` and `fanout` share: the engine's method set behind the Backend
 * interface, and a description read from the engine's resolved settings. The
 * two differ only in which cache they open and in how an operation that gave
 * up on a lock shows itself (`run`), so that is all a subclass supplies.
 */
export abstract class EngineBackend<C extends Cache | FanoutCache> implements Backend {
  abstract readonly name: string;
  readonly callStyle = 'sync';
  readonly capabilities = CAPABILITIES;
  protected cache: C | undefined;

  constructor(
    protected readonly directory: string,
    readonly label: string,
  ) {}

  /** Opens the engine cache this backend stands for. */
  protected abstract openCache(): C;
  /** Runs one engine call; a lock the engine gave up on must surface as BackendTimeoutError. */
  protected abstract run<T>(call: (cache: C) => T): T;
  /** Settings of the cache beyond the engine's own (e.g. the shard count). */
  protected extraSettings(_cache: C): Record<string, number> {
    return {};
  }

  open(): void {
    this.cache = this.openCache();
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
    return this.run((cache) =>
      cache.set(key, value, expireSeconds === undefined ? undefined : { expire: expireSeconds }),
    );
  }

  delete(key: string): boolean {
    return this.run((cache) => cache.delete(key));
  }

  clear(): void {
    this.run((cache) => cache.clear());
  }

  add(key: string, value: Value, expireSeconds?: number): boolean {
    checkExpire(this.name, expireSeconds);
    return this.run((cache) =>
      cache.add(key, value, expireSeconds === undefined ? undefined : { expire: expireSeconds }),
    );
  }

  incr(key: string, delta: number): number {
    // FanoutCache answers null only after a timeout, which run() has turned into a throw.
    return this.run((cache) => cache.incr(key, delta)) as number;
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

  /** The engine's write-path figures (stats().writes) under `writes.` names: lock waits, slow commits, checkpoints. */
  counters(): Record<string, number> {
    if (!this.cache) return {};
    const writes = this.cache.stats().writes;
    return Object.fromEntries(Object.entries(writes).map(([key, value]) => [`writes.${key}`, value]));
  }

  describe(): BackendDescription {
    const cache = this.cache ?? this.openCache();
    try {
      const settings = cache.settings;
      return describeBackend(this, {
        durability: sqliteDurability(settings.sqliteJournalMode, settings.sqliteSynchronous),
        version: `SQLite ${sqliteVersion()}`,
        settings: { ...this.extraSettings(cache), ...snakeCaseSettings(settings) },
        instance: { directory: this.directory },
      });
    } finally {
      // describe() before open() must not leave a connection behind.
      if (cache !== this.cache) cache.close();
    }
  }
}
