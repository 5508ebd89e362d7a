import type { Entries } from './batch.js';
import { checkDirectory } from './arguments.js';
import { Cache } from './cache.js';
import type { Key, Value } from './disk.js';
import type { Memoized, MemoizeOptions } from './memoize.js';
import { checkOptions, objectOptions, type CacheOptions } from './options.js';
import type { PullOptions, PushOptions, QueueItem } from './queue.js';

const MISSING = Symbol('missing');

export interface IndexOptions extends CacheOptions {
  /**
   * Entries stored when it opens, in one transaction, as diskcache's
   * `Index(directory, items)`: added to what the directory already holds
   * (an existing key gets the new value and keeps its place).
   */
  items?: Entries;
}

/**
 * A persistent mapping with insertion-order iteration on a Cache of its own,
 * as diskcache's `persistent.Index`: no expiry, no eviction (the policy is
 * `none` unless you say otherwise), every method atomic across processes.
 * Replacing a key's value keeps its place in the order; deleting and setting
 * it again moves it to the end.
 */
export class Index implements Iterable<Key> {
  readonly cache: Cache;

  constructor(directory?: string, options?: IndexOptions) {
    const { items, ...cacheOptions } = objectOptions(options, 'Index');
    checkOptions(cacheOptions, ['items']); // before Cache's own check, whose hint could not suggest items
    this.cache = new Cache(checkDirectory(directory, 'Index'), { evictionPolicy: 'none', ...cacheOptions });
    if (items !== undefined) this.initialItems(items);
  }

  /** An Index over an already open Cache, with `items` stored in it (diskcache's `Index.fromcache(cache, items)`). */
  static fromCache(cache: Cache, options?: { items?: Entries }): Index {
    const index = Object.create(Index.prototype) as Index;
    Object.assign(index, { cache });
    const { items, ...rest } = objectOptions(options, 'Index.fromCache');
    checkOptions(rest, ['items']);
    if (items !== undefined) index.update(items); // the cache is the caller's: left open on a failure
    return index;
  }

  get directory(): string {
    return this.cache.directory;
  }

  get length(): number {
    return this.cache.length;
  }

  get<D = undefined>(key: Key, fallback?: D): Value | D {
    return this.cache.get(key, { default: fallback as D });
  }

  set(key: Key, value: Value): this {
    this.cache.set(key, value);
    return this;
  }

  has(key: Key): boolean {
    return this.cache.has(key);
  }

  /** True when the key was there. */
  delete(key: Key): boolean {
    return this.cache.delete(key);
  }

  /** The value of `key`, first storing `fallback` when the key is absent (atomically). */
  setdefault(key: Key, fallback: Value): Value {
    return this.cache.transact(() => {
      const found = this.cache.get<typeof MISSING>(key, { default: MISSING });
      if (found !== MISSING) return found;
      this.cache.set(key, fallback);
      return fallback;
    });
  }

  pop<D = undefined>(key: Key, fallback?: D): Value | D {
    return this.cache.pop(key, { default: fallback as D });
  }

  /** Removes and returns the newest (or with `last = false`, the oldest) entry; undefined when empty. */
  popitem(last = true): [Key, Value] | undefined {
    return this.cache.transact(() => {
      const item = this.cache.peekitem(last);
      if (item === undefined) return undefined;
      this.cache.delete(item.key);
      return [item.key, item.value];
    });
  }

  peekitem(last = true): [Key, Value] | undefined {
    const item = this.cache.peekitem(last);
    return item === undefined ? undefined : [item.key, item.value];
  }

  /** Stores many entries in one transaction. */
  update(entries: Entries): void {
    this.cache.setMany(entries);
  }

  /** Queue operations on prefixed keys, as Cache.push/pull (diskcache's Index has them too). */
  push(value: Value, options?: PushOptions): Key {
    return this.cache.push(value, options);
  }

  pull<D = undefined>(options?: PullOptions<D>): QueueItem | D {
    return this.cache.pull(options);
  }

  clear(): void {
    this.cache.clear();
  }

  keys(): IterableIterator<Key> {
    return this.cache.keys();
  }

  [Symbol.iterator](): IterableIterator<Key> {
    return this.cache.keys();
  }

  /** Keys from the newest back, as diskcache's `reversed(index)`. */
  reversed(): IterableIterator<Key> {
    return this.cache.reversed();
  }

  /** Values in key insertion order; keys deleted meanwhile are skipped. */
  *values(): IterableIterator<Value> {
    for (const [, value] of this.items()) yield value;
  }

  *items(): IterableIterator<[Key, Value]> {
    for (const key of this.cache.keys()) {
      const value = this.cache.get<typeof MISSING>(key, { default: MISSING });
      if (value !== MISSING) yield [key, value];
    }
  }

  transact<T>(fn: () => T): T {
    return this.cache.transact(fn);
  }

  memoize<A extends unknown[], R extends Value>(fn: (...args: A) => R, options?: MemoizeOptions): Memoized<A, R> {
    return this.cache.memoize(fn, options);
  }

  close(): void {
    this.cache.close();
  }

  /** Stores the opening items; a failure closes the cache just opened, so no handle leaks. */
  private initialItems(items: Entries): void {
    try {
      this.update(items);
    } catch (error) {
      this.cache.close();
      throw error;
    }
  }
}
