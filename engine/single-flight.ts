import { InvalidOptionError, LockTimeoutError } from './errors.js';
import { deadlineOf } from './recipes/polling-lock.js';
import { Lock } from './recipes/lock.js';
import type { RecipeCache } from './recipes/recipe-cache.js';

/** What a lookup answers when the cache has no result yet. */
export const NOT_YET: unique symbol = Symbol('not yet');

export interface FlightOptions {
  /** Share one computation per key across processes through a Lock in the cache. @default true */
  crossProcess?: boolean;
  /**
   * Seconds the cross-process computing lock lives: a process that dies
   * computing holds the others up at most this long. A computation that
   * outlasts it may be started again elsewhere. @default 60
   */
  lockExpire?: number;
  /** Seconds a call waits for another process's computation before LockTimeoutError. @default null, until it ends or its lock expires */
  timeout?: number | null;
}

/** First pause while another process computes, in ms; pauses double up to MAX_PAUSE_MS. */
const FIRST_PAUSE_MS = 1;
/** A waiter sees a finished computation within about this; each look is a read and a lock try. */
const MAX_PAUSE_MS = 50;
const DEFAULT_LOCK_EXPIRE = 60;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One computation per key at a time. Inside a process, calls for a key that
 * is being computed get the promise already running. Across processes, the
 * computing process holds a Lock (recipes/lock.ts) on `<key>:computing`; the
 * others wait on timers — never blocking the event loop — looking for the
 * stored result between tries, and take over the lock if it frees without
 * one (the computation failed). A rejected computation stores nothing: every
 * caller that shared it gets the rejection, and the next call computes again.
 */
export class SingleFlight {
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly crossProcess: boolean;
  private readonly lockExpire: number;
  private readonly timeout: number | null;

  constructor(
    private readonly cache: RecipeCache,
    options: FlightOptions,
  ) {
    const { crossProcess = true, lockExpire = DEFAULT_LOCK_EXPIRE, timeout = null } = options;
    if (typeof crossProcess !== 'boolean')
      throw new InvalidOptionError('crossProcess', `expected true or false, got ${typeof crossProcess}`);
    if (typeof lockExpire !== 'number' || !(lockExpire > 0) || !Number.isFinite(lockExpire)) {
      throw new InvalidOptionError('lockExpire', `expected seconds > 0, got ${String(lockExpire)}`);
    }
    deadlineOf({ timeout }); // checks it
    this.crossProcess = crossProcess;
    this.lockExpire = lockExpire;
    this.timeout = timeout;
  }

  /** True while this process computes `key`. */
  busy(key: string): boolean {
    return this.running.has(key);
  }

  /**
   * The result for `key`: the computation already running here, or a new one.
   * `lookup` answers a stored result (or NOT_YET); `compute` makes and stores
   * one. With `locked` false the cross-process lock is skipped (the caller
   * has made sure of one computation some other way).
   */
  run<T>(
    key: string,
    lookup: () => T | typeof NOT_YET,
    compute: () => Promise<T>,
    locked = this.crossProcess,
  ): Promise<T> {
    const running = this.running.get(key) as Promise<T> | undefined;
    if (running !== undefined) return running;
    const flight = locked ? this.locked(key, lookup, compute) : compute();
    this.running.set(key, flight);
    const done = (): void => {
      if (this.running.get(key) === flight) this.running.delete(key);
    };
    flight.then(done, done);
    return flight;
  }

  private async locked<T>(key: string, lookup: () => T | typeof NOT_YET, compute: () => Promise<T>): Promise<T> {
    const lock = new Lock(this.cache, `${key}:computing`, { expire: this.lockExpire });
    const deadline = deadlineOf({ timeout: this.timeout });
    for (let wait = FIRST_PAUSE_MS; !lock.tryAcquire(); wait = Math.min(wait * 2, MAX_PAUSE_MS)) {
      const left = deadline - performance.now();
      if (!(left > 0)) throw new LockTimeoutError(`the computation of ${key} in another process`, this.timeout!);
      await pause(Math.min(wait, left));
      const found = lookup();
      if (found !== NOT_YET) return found;
    }
    try {
      const found = lookup(); // stored by another process between our miss and the lock
      return found !== NOT_YET ? found : await compute();
    } finally {
      lock.release();
    }
  }
}
