import { memoName } from '../memoize.js';
import type { Key } from '../disk.js';
import { Lock } from './lock.js';
import type { RecipeCache, RecipeOptions } from './recipe-cache.js';

/** Anything lock-like: Lock, RLock, BoundedSemaphore. */
export interface LockLike {
  acquire(): void;
  release(): void;
}

export interface BarrierOptions extends RecipeOptions {
  /** Key namespace; defaults to the function's name. */
  name?: string;
  /** Builds the lock for the key. @default Lock */
  lock?: (cache: RecipeCache, key: Key, options: RecipeOptions) => LockLike;
}

/**
 * Wraps fn so calls run one at a time (or as many as a semaphore allows)
 * across every process sharing the cache, as diskcache's barrier decorator.
 */
export function barrier<A extends unknown[], R>(cache: RecipeCache, fn: (...args: A) => R, options: BarrierOptions = {}): (...args: A) => R {
  const key = `barrier:${memoName(fn, options.name)}`;
  const make = options.lock ?? ((c, k, o) => new Lock(c, k, o));
  const lock = make(cache, key, { expire: options.expire, tag: options.tag });
  return (...args: A): R => {
    lock.acquire();
    try {
      return fn(...args);
    } finally {
      lock.release();
    }
  };
}
