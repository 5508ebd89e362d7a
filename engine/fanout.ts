import type { Readable } from 'node:stream';
import { optionsOf, type StoreOptions } from './arguments.js';
import { assertEntry, list, type Entries, type GetManyOptions } from './batch.js';
import type { Cache } from './cache.js';
import type { Counter } from './counter.js';
import type { CheckOptions } from './check.js';
import type { Key, Value } from './disk.js';
import type { Layout } from './fanout-layout.js';
import { mergeSortedKeys } from './fanout-keys.js';
import { openFanout, type FanoutOptions } from './fanout-open.js';
import type { StatsOptions } from './maintenance.js';
import { memoize, type Memoized, type MemoizeOptions } from './memoize.js';
import { findSetting, SETTINGS, type SettingName, type Settings } from './settings.js';
import { shardOf } from './shard-hash.js';
import { staleLayoutError } from './stale-layout-error.js';
import { refuseMethodsNotOnFanout } from './not-on-fanout.js';
import { ADD, DECR, DELETE, FILE_PATH, GET, HAS, INCR, POP, SET, TOUCH, type ShardOp } from './shard-op.js';
import type { Entry, GetOptions } from './store.js';
import { ShardedOps, type FanoutStats } from './fanout-ops.js';
import { FanoutCollections } from './fanout-collections.js';
import type { Deque } from './deque.js';
import type { Index } from './index-map.js';

export { FANOUT_DEFAULTS, type FanoutOptions } from './fanout-open.js';

/**
 * N `Cache` shards in subfolders `000`, `001`, … of one directory; each key
 * lives in the shard its serialised bytes hash to (shard-hash.ts). Writers to
 * different shards never wait for each other, and a short timeout turns lock
 * waits into counted misses, as python-diskcache's FanoutCache does: a set
 * that cannot get its shard's lock within `timeout` returns false, a get
 * returns the default, a delete returns false. Semantics otherwise follow Cache.
 */
export class FanoutCache extends ShardedOps {
  readonly directory: string;
  private readonly layout: Layout;
  private readonly collections: FanoutCollections;

  constructor(directory?: string, options: FanoutOptions = {}) {
    const opened = openFanout(directory, options);
    super(opened.caches, opened.timeout);
    this.directory = opened.directory;
    this.layout = opened.layout;
    const { disk, now, fileMode, dirMode } = options ?? {};
    this.collections = new FanoutCollections(this.directory, { disk, now, fileMode, dirMode });
  }

  /** A Cache of its own in `cache/<name>` under this directory, opened once and closed with this one (diskcache's FanoutCache.cache). */
  cache(name: string): Cache {
    return this.collections.cache(name);
  }

  /** A Deque in `deque/<name>` under this directory (diskcache's FanoutCache.deque); it never evicts. */
  deque(name: string): Deque {
    return this.collections.deque(name);
  }

  /** An Index in `index/<name>` under this directory (diskcache's FanoutCache.index); it never evicts. */
  index(name: string): Index {
    return this.collections.index(name);
  }

  /**
   * Cache.reset on every shard (retrying a shard that stays locked);
   * sizeLimit is the total, split evenly as when opening. Returns the value
   * in force, sizeLimit as the total.
   */
  reset<K extends SettingName>(setting: K, value?: Settings[K] | string): Settings[K];
  reset(setting: string, value?: unknown): unknown;
  reset(setting: string, value?: unknown): unknown {
    const total = findSetting(typeof setting === 'string' ? setting : String(setting)).option === 'sizeLimit';
    let shardValue = value;
    if (total && value !== undefined)
      shardValue = Math.floor(SETTINGS.sizeLimit.parse(String(value)) / this.shards.length);
    let result: unknown;
    for (const shard of this.shards) result = this.retry(() => shard.reset(setting, shardValue));
    return total ? (result as number) * this.shards.length : result;
  }

  createTagIndex(): void {
    this.reset('tagIndex', true);
  }

  dropTagIndex(): void {
    this.reset('tagIndex', false);
  }

  /** Closes the shards and every sub-collection opened through cache(), deque() and index(). */
  override close(): void {
    this.collections.close();
    super.close();
  }

  /** The shard count in force (stored in fanout.json). */
  get shardCount(): number {
    return this.layout.shards;
  }

  /** Shard 0's settings, with sizeLimit the total over all shards. */
  get settings(): Readonly<Settings> {
    const first = this.shards[0]!.settings;
    return { ...first, sizeLimit: first.sizeLimit * this.shards.length, timeout: this.timeout };
  }

  /** The shard index a key is stored in. */
  shardIndex(key: Key): number {
    return shardOf(this.disk, key, this.shards.length);
  }

  set(key: Key, value: Value, options?: StoreOptions): boolean {
    return this.onShard(key, SET, value, options);
  }

  add(key: Key, value: Value, options?: StoreOptions): boolean {
    return this.onShard(key, ADD, value, options);
  }

  async setStream(
    key: Key,
    stream: Readable | AsyncIterable<Uint8Array | string>,
    options?: Omit<StoreOptions, 'read'>,
  ): Promise<boolean> {
    // Not onShard: the lock timeout arrives as a rejection, so it is caught after the await.
    const i = shardOf(this.disk, key, this.shards.length);
    try {
      return await this.shards[i]!.setStream(key, stream, options);
    } catch (error) {
      return this.absorb(error, i, false);
    }
  }

  get<D = undefined>(key: Key, options: GetOptions<D> & ({ expireTime: true } | { tag: true })): Entry<Value | D>;
  get<D = undefined>(key: Key, options: GetOptions<D>): Value | D;
  get(key: Key): Value | undefined;
  get(key: Key, options?: GetOptions<unknown>): unknown {
    return this.onShard(key, GET, options, undefined);
  }

  read(key: Key): Readable | undefined {
    return this.get(key, { read: true }) as Readable | undefined;
  }

  filePath(key: Key): string | undefined {
    return this.onShard(key, FILE_PATH, undefined, undefined);
  }

  has(key: Key): boolean {
    return this.onShard(key, HAS, undefined, undefined);
  }

  delete(key: Key): boolean {
    return this.onShard(key, DELETE, undefined, undefined);
  }

  pop<D = undefined>(key: Key, options: GetOptions<D> = {}): Value | D {
    return this.onShard(key, POP, options, undefined) as Value | D;
  }

  touch(key: Key, expire: number | null = null): boolean {
    return this.onShard(key, TOUCH, expire, undefined);
  }

  /** As Cache.incr (bigint counters included), but null when the shard stayed locked past `timeout` (diskcache returns None). */
  incr(key: Key, delta?: number, options?: { default?: number | null }): number | null;
  incr(key: Key, delta: bigint, options?: { default?: number | bigint | null }): bigint | null;
  incr(key: Key, delta: Counter = 1, options?: { default?: Counter | null }): Counter | null {
    return this.onShard(key, INCR, delta, options);
  }

  /** As Cache.decr; the shard checks the delta before negating it, as Cache does. */
  decr(key: Key, delta?: number, options?: { default?: number | null }): number | null;
  decr(key: Key, delta: bigint, options?: { default?: number | bigint | null }): bigint | null;
  decr(key: Key, delta: Counter = 1, options?: { default?: Counter | null }): Counter | null {
    return this.onShard(key, DECR, delta, options);
  }

  getMany<D = undefined>(keys: Iterable<Key>, given?: GetManyOptions<D>): (Value | D)[] {
    // Checked as Cache checks them (a lone string is not a list of keys), before any shard is asked.
    const all = list(keys, 'keys');
    const options = optionsOf(given, 'getMany');
    const out: (Value | D)[] = new Array(all.length);
    for (const [i, positions] of this.groupByShard(all)) {
      let values: (Value | D)[];
      try {
        values = this.shards[i]!.getMany(
          positions.map((p) => all[p]!),
          options,
        );
      } catch (error) {
        values = positions.map(() => options.default as D);
        this.absorb(error, i, undefined);
      }
      positions.forEach((p, j) => (out[p] = values[j]!));
    }
    return out;
  }

  /**
   * Each shard's part in one transaction; a shard that times out stores none of
   * its part (not counted). Keys and values are all checked before the first
   * shard writes, so a bad entry leaves nothing behind.
   */
  setMany(entries: Entries, options?: StoreOptions): number {
    const all = list(entries as Iterable<unknown>, 'entries').map(assertEntry);
    for (const [, value] of all) this.disk.assertStorable(value, options?.read === true);
    let stored = 0;
    for (const [i, positions] of this.groupByShard(all.map((e) => e[0]))) {
      try {
        stored += this.shards[i]!.setMany(
          positions.map((p) => all[p]!),
          options,
        );
      } catch (error) {
        this.absorb(error, i, 0);
      }
    }
    return stored;
  }

  deleteMany(keys: Iterable<Key>): number {
    let removed = 0;
    const all = list(keys, 'keys');
    for (const [i, positions] of this.groupByShard(all)) {
      try {
        removed += this.shards[i]!.deleteMany(positions.map((p) => all[p]!));
      } catch (error) {
        this.absorb(error, i, 0);
      }
    }
    return removed;
  }

  /**
   * Live keys of every shard in one order: the order Cache.iterkeys gives for
   * one database (numbers, then strings and bigints as text by UTF-8 bytes,
   * then bytes; ties by kind), merged from each shard's sorted pages, so it
   * does not depend on the shard count. keys() is cheaper: shard by shard.
   */
  iterkeys(reverse = false): IterableIterator<Key> {
    return mergeSortedKeys(
      this.shards.map((shard) => this.explained(() => shard.iterkeys(reverse))),
      this.disk,
      reverse,
    );
  }

  /** Live keys, last shard first and newest first within each: keys() backwards, as diskcache's reversed(fanout). */
  *reversed(): IterableIterator<Key> {
    for (let i = this.shards.length - 1; i >= 0; i--) yield* this.explained(() => this.shards[i]!.reversed());
  }

  memoize<A extends unknown[], R extends Value>(fn: (...args: A) => R, options?: MemoizeOptions): Memoized<A, R> {
    return memoize(this, fn, options);
  }

  stats(options?: StatsOptions): FanoutStats {
    return this.shardStats(optionsOf(options, 'stats'));
  }

  check(given?: CheckOptions): string[] {
    const options = optionsOf(given, 'check');
    return this.shards.flatMap((shard, i) => this.retry(() => shard.check(options)).map((w) => `shard ${i}: ${w}`));
  }

  /** A shard error of a process still on a layout a migration has left becomes ShardLayoutError (stale-layout-error.ts). */
  protected override explain(error: unknown): unknown {
    return staleLayoutError(error, this.directory, this.layout);
  }

  /**
   * Runs a single-key operation on the key's shard; a lock timeout there is
   * counted and answered with the operation's `timedOut` value. The operation
   * and its two arguments are passed apart (no closure), so a get or set
   * allocates nothing here.
   */
  private onShard<A, B, T>(key: Key, op: ShardOp<A, B, T>, a: A, b: B): T {
    const i = shardOf(this.disk, key, this.shards.length);
    try {
      return op.run(this.shards[i]!, key, a, b);
    } catch (error) {
      return this.absorb(error, i, op.timedOut(a));
    }
  }

  private groupByShard(keys: Key[]): Map<number, number[]> {
    const groups = new Map<number, number[]>();
    for (let p = 0; p < keys.length; p++) {
      const i = shardOf(this.disk, keys[p]!, this.shards.length);
      let list = groups.get(i);
      if (list === undefined) groups.set(i, (list = []));
      list.push(p);
    }
    return groups;
  }
}

refuseMethodsNotOnFanout(FanoutCache.prototype);
