import type { Key } from '../disk.js';
import { InvalidOptionError, LockTimeoutError } from '../errors.js';
import { sleepMs } from '../with-retries.js';
import { POLL_MS } from './recipe-cache.js';

export interface AcquireOptions {
  /** Seconds to wait before giving up with LockTimeoutError (0: one try). @default null, wait as long as it takes */
  timeout?: number | null;
}

/** Anything lock-like: Lock, RLock, BoundedSemaphore. */
export interface LockLike {
  acquire(): void;
  release(): void;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** performance.now() at which an acquire gives up (Infinity without a timeout). */
export function deadlineOf(options: AcquireOptions | undefined): number {
  if (options === undefined || options === null) return Infinity;
  if (typeof options !== 'object')
    throw new InvalidOptionError('options', `acquire takes { timeout: seconds }, got ${typeof options}`);
  const { timeout } = options;
  if (timeout === undefined || timeout === null) return Infinity;
  if (typeof timeout !== 'number' || !(timeout >= 0))
    throw new InvalidOptionError('timeout', `expected seconds ≥ 0 or null, got ${String(timeout)}`);
  return performance.now() + timeout * 1000;
}

/** A key as an error message shows it: text quoted, bytes as hex. */
export function describeKey(key: Key): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (key instanceof Uint8Array) return `<${Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex')}>`;
  return typeof key === 'bigint' ? `${key}n` : String(key);
}

/**
 * What Lock, RLock and BoundedSemaphore share: each says how to take
 * (tryAcquire, never waiting) and give back (release); waiting is polling
 * tryAcquire every POLL_MS, as diskcache's recipes do, since the state lives
 * in the cache where no process can be notified.
 */
export abstract class PollingLock implements LockLike {
  abstract readonly key: Key;
  /** True when taken now; never waits. */
  abstract tryAcquire(): boolean;
  abstract release(): void;

  /** Blocks the thread until taken (the engine is synchronous); LockTimeoutError after `timeout` seconds. */
  acquire(options?: AcquireOptions): void {
    const deadline = deadlineOf(options);
    while (!this.tryAcquire()) sleepMs(this.pauseMs(deadline, options));
  }

  /** Waits on timers instead of blocking the thread; rejects with LockTimeoutError after `timeout` seconds. */
  async acquireAsync(options?: AcquireOptions): Promise<void> {
    const deadline = deadlineOf(options);
    while (!this.tryAcquire()) await pause(this.pauseMs(deadline, options));
  }

  /** The next pause in ms, cut short to end at the deadline; throws once it has passed. */
  private pauseMs(deadline: number, options: AcquireOptions | undefined): number {
    const left = deadline - performance.now();
    if (!(left > 0)) throw new LockTimeoutError(`${this.constructor.name} ${describeKey(this.key)}`, options!.timeout!);
    return Math.min(POLL_MS, left);
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
