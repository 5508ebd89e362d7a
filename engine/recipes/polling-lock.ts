import { sleepMs } from '../with-retries.js';
import { POLL_MS } from './recipe-cache.js';

/** Anything lock-like: Lock, RLock, BoundedSemaphore. */
export interface LockLike {
  acquire(): void;
  release(): void;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What Lock, RLock and BoundedSemaphore share: each says how to take
 * (tryAcquire, never waiting) and give back (release); waiting is polling
 * tryAcquire every POLL_MS, as diskcache's recipes do, since the state lives
 * in the cache where no process can be notified.
 */
export abstract class PollingLock implements LockLike {
  /** True when taken now; never waits. */
  abstract tryAcquire(): boolean;
  abstract release(): void;

  /** Blocks the thread until taken (the engine is synchronous). */
  acquire(): void {
    while (!this.tryAcquire()) sleepMs(POLL_MS);
  }

  /** Waits on timers instead of blocking the thread. */
  async acquireAsync(): Promise<void> {
    while (!this.tryAcquire()) await pause(POLL_MS);
  }

  /** Runs fn holding the lock. */
  run<T>(fn: () => T): T {
    return PollingLock.holding(this, fn);
  }

  /** Runs fn holding `lock`, released however fn ends. */
  static holding<T>(lock: LockLike, fn: () => T): T {
    lock.acquire();
    try {
      return fn();
    } finally {
      lock.release();
    }
  }
}
