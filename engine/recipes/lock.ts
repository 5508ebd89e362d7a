import { threadId } from 'node:worker_threads';
import type { Key } from '../disk.js';
import { CacheStateError } from '../errors.js';
import { PollingLock } from './polling-lock.js';
import { checkKey, deleteState, pinned, type RecipeCache, type RecipeOptions } from './recipe-cache.js';

/**
 * A lock shared by every process using the cache, as diskcache's recipes.Lock:
 * held while the key exists, taken with add() (atomic "store if absent").
 * Not re-entrant: acquiring twice blocks. `expire` bounds how long a crashed
 * holder can keep it. acquire() blocks the thread (the engine is synchronous);
 * acquireAsync() waits on timers instead.
 */
export class Lock extends PollingLock {
  constructor(
    readonly cache: RecipeCache,
    readonly key: Key,
    readonly options: RecipeOptions = {},
  ) {
    super();
    checkKey(key);
  }

  /** True when taken now; never waits. */
  tryAcquire(): boolean {
    return this.cache.add(this.key, null, pinned(this.options));
  }

  /** Throws CacheTimeoutError when the entry cannot be deleted (its shard stays locked); never returns with the lock still held. */
  release(): void {
    deleteState(this.cache, this.key);
  }

  locked(): boolean {
    return this.cache.has(this.key);
  }
}

/**
 * A re-entrant lock: the owner (this process and thread) may acquire it again;
 * it is free once released as often as acquired. The state is
 * `[owner, count]` under the key, read and written in one transaction.
 * Async code in one thread shares ownership (one owner per thread, as in diskcache).
 */
export class RLock extends PollingLock {
  private readonly owner = `${process.pid}-${threadId}`;

  constructor(
    readonly cache: RecipeCache,
    readonly key: Key,
    readonly options: RecipeOptions = {},
  ) {
    super();
    checkKey(key);
  }

  tryAcquire(): boolean {
    return this.cache.transact(() => {
      const [owner, count] = this.state();
      if (count > 0 && owner !== this.owner) return false;
      this.cache.set(this.key, [this.owner, count + 1], pinned(this.options));
      return true;
    });
  }

  /** Throws CacheStateError when this owner does not hold the lock. */
  release(): void {
    this.cache.transact(() => {
      const [owner, count] = this.state();
      if (owner !== this.owner || count <= 0)
        throw new CacheStateError(`cannot release RLock ${String(this.key)}: not acquired by this process`);
      if (count === 1) this.cache.delete(this.key);
      else this.cache.set(this.key, [owner, count - 1], pinned(this.options));
    });
  }

  private state(): [string | null, number] {
    const value = this.cache.get(this.key, { default: null }) as [string, number] | null;
    return Array.isArray(value) ? value : [null, 0];
  }
}
