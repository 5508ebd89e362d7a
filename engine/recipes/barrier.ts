import { memoizeKeyName } from '../memoize-name.js';
import type { Key } from '../disk.js';
import { Lock } from './lock.js';
import { PollingLock, type LockLike } from './polling-lock.js';
import type { RecipeCache, RecipeOptions } from './recipe-cache.js';

export type { LockLike };

export interface BarrierOptions extends RecipeOptions {
  /** Key namespace, unique to this function (required: see memoizeKeyName). */
  name?: string;
  /** Builds the lock for the key. @default Lock */
  lock?: (cache: RecipeCache, key: Key, options: RecipeOptions) => LockLike;
}

/**
 * Wraps fn so calls run one at a time (or as many as a semaphore allows)
 * across every process sharing the cache, as diskcache's barrier decorator.
 */
export function barrier<A extends unknown[], R>(
  cache: RecipeCache,
  fn: (...args: A) => R,
  options: BarrierOptions = {},
): (...args: A) => R {
  const key = `barrier:${memoizeKeyName(fn, options, 'barrier')}`;
  const make = options.lock ?? ((c, k, o) => new Lock(c, k, o));
  const lock = make(cache, key, { expire: options.expire, tag: options.tag });
  return (...args: A): R => PollingLock.holding(lock, () => fn(...args));
}
