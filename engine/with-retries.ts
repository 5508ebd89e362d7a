const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the thread (the engine is synchronous, like better-sqlite3). */
export function sleepMs(ms: number): void {
  Atomics.wait(SLEEPER, 0, 0, ms);
}

/** When withRetries tries again, and how long it pauses in between. */
export interface RetryPolicy {
  /** True for an error worth another try; anything else is rethrown at once. */
  retryable(error: unknown): boolean;
  /** Seconds from the first try after which the error is rethrown. */
  seconds: number;
  /** The pause before retry n (from 0) in ms, before a jitter of 0.5–1.5×. */
  pauseMs(attempt: number): number;
  /** Called before each pause. */
  onRetry?: () => void;
}

/** Pauses growing by `stepMs` from 1 ms to `capMs`: opening and FanoutCache's whole-cache retries. */
export function linearPauses(stepMs: number, capMs: number): (attempt: number) => number {
  return (attempt) => Math.min(capMs, 1 + attempt * stepMs);
}

/**
 * Runs `fn` again while it throws a retryable error, until the policy's
 * deadline. The pause grows and is jittered so racing processes spread out;
 * the last one is cut short so the final try falls at the deadline, and with
 * `seconds` 0 a failing `fn` is tried once. The one loop behind retryBusy
 * (opening), the write-lock wait (withLockWait), FanoutCache's whole-cache
 * operations and FanoutCache.transact.
 */
export function withRetries<T>(fn: () => T, policy: RetryPolicy): T {
  const deadline = performance.now() + policy.seconds * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      const left = deadline - performance.now();
      if (!policy.retryable(error) || !(left > 0)) throw error;
      policy.onRetry?.();
      sleepMs(Math.min(left, policy.pauseMs(attempt) * (0.5 + Math.random())));
    }
  }
}

/** Another process's write lock is usually held for tens of microseconds: the first pause is about that. */
const LOCK_WAIT_FIRST_MS = 0.025;
/** Pauses double up to this, so a long wait costs few tries and a freed lock is seen within about this. */
const LOCK_WAIT_CAP_MS = 0.5;
const lockWaitPause = (attempt: number): number => Math.min(LOCK_WAIT_CAP_MS, LOCK_WAIT_FIRST_MS * 2 ** attempt);
/**
 * lockWait 'bounded': pauses from 0.1 ms doubling to 2 ms. Under contention
 * with more processes than cores a lock is held for milliseconds (a holder
 * descheduled, or fsyncing the WAL header after a checkpoint); SQLite's busy
 * handler sleeps grow to 25–100 ms and overshoot the release by as much,
 * polling at 0.5 ms wakes often enough to take the CPU the holder needs.
 */
const BOUNDED_FIRST_MS = 0.1;
const BOUNDED_CAP_MS = 2;
const boundedPause = (attempt: number): number => Math.min(BOUNDED_CAP_MS, BOUNDED_FIRST_MS * 2 ** attempt);

/**
 * Runs `fn` again while it throws a retryable error, for up to `seconds`:
 * pauses start at LOCK_WAIT_FIRST_MS and double to LOCK_WAIT_CAP_MS.
 *
 * This is the write-lock wait (Core.lockWait, lockWait 'poll') in place of
 * SQLite's busy handler, which sleeps 1 ms, then 2, 5, 10 … ms between looks:
 * a write that met a lock freed 50 µs later still waited about 1.1 ms.
 */
export function withLockWait<T>(
  fn: () => T,
  retryable: (error: unknown) => boolean,
  seconds: number,
  mode: 'poll' | 'bounded' | 'sqlite' = 'poll',
): T {
  return withRetries(fn, { retryable, seconds, pauseMs: mode === 'bounded' ? boundedPause : lockWaitPause });
}
