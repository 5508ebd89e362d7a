import type { Key } from '../disk.js';
import { CacheStateError, InvalidOptionError } from '../errors.js';
import { PollingLock } from './polling-lock.js';
import { checkKey, pinned, type RecipeCache, type RecipeOptions } from './recipe-cache.js';

/**
 * A semaphore shared by every process using the cache, as diskcache's
 * recipes.BoundedSemaphore: the key holds the number of free slots (absent
 * means all `value` are free); acquire takes one, release gives one back and
 * refuses to go above `value`.
 */
export class BoundedSemaphore extends PollingLock {
  constructor(
    readonly cache: RecipeCache,
    readonly key: Key,
    readonly value = 1,
    readonly options: RecipeOptions = {},
  ) {
    super();
    checkKey(key);
    if (!Number.isInteger(value) || value < 1)
      throw new InvalidOptionError('value', `expected a whole number ≥ 1, got ${String(value)}`);
  }

  tryAcquire(): boolean {
    return this.cache.transact(() => {
      const free = this.free();
      if (free <= 0) return false;
      this.cache.set(this.key, free - 1, pinned(this.options));
      return true;
    });
  }

  /** Throws CacheStateError when every slot is already free (a release without an acquire). */
  release(): void {
    this.cache.transact(() => {
      const free = this.free();
      if (free >= this.value)
        throw new CacheStateError(`cannot release semaphore ${String(this.key)}: it was not acquired`);
      this.cache.set(this.key, free + 1, pinned(this.options));
    });
  }

  private free(): number {
    const stored = this.cache.get(this.key, { default: this.value });
    return typeof stored === 'number' ? stored : this.value;
  }
}
