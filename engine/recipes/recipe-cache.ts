import type { StoreOptions } from '../arguments.js';
import type { Key, Value } from '../disk.js';
import { InvalidOptionError } from '../errors.js';
import type { GetOptions } from '../store.js';

/**
 * What the cross-process recipes need of a cache: Cache and FanoutCache both
 * fit. Every recipe keeps its state in the cache, changed inside transact(),
 * so it holds across processes (and across threads of one process only as
 * far as the cache connection does).
 */
export interface RecipeCache {
  add(key: Key, value: Value, options?: StoreOptions): boolean;
  set(key: Key, value: Value, options?: StoreOptions): boolean;
  get(key: Key, options: GetOptions<unknown>): unknown;
  delete(key: Key): boolean;
  has(key: Key): boolean;
  transact<T>(fn: () => T): T;
  /** The cache clock in seconds: expiry times are absolute on it. */
  clock(): number;
}

/** Expiry and tag of the recipe's own entry. */
export interface RecipeOptions {
  /** Seconds the state lives (a lock held by a crashed process frees itself after this). @default never */
  expire?: number | null;
  tag?: string | null;
}

/**
 * The store options of a recipe's state: its expiry and tag, pinned so the
 * eviction policy never culls it — a lock's or semaphore's key culled under
 * sizeLimit would let a second holder in.
 */
export function pinned(options: RecipeOptions): StoreOptions {
  return { expire: options.expire, tag: options.tag, pin: true };
}

/** How long a blocked recipe waits before looking again, in ms. */
export const POLL_MS = 1;

export function checkKey(key: unknown): void {
  if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'bigint' && !(key instanceof Uint8Array)) {
    throw new InvalidOptionError('key', 'a recipe needs a cache key (string, number, bigint or bytes)');
  }
}

/**
 * Deletes a recipe's own entry for sure. A FanoutCache's delete answers false
 * both for a missing key and for a shard lock it could not get in time, so a
 * bare delete can silently leave a lock held. Inside transact() the lock is
 * already held and the delete cannot time out; transact itself keeps trying
 * for the lock and ends in CacheTimeoutError if it never gets it.
 */
export function deleteState(cache: RecipeCache, key: Key): void {
  cache.transact(() => cache.delete(key));
}
