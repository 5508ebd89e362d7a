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
  /** The pause before retry n (from 0) is min(capMs, 1 + n × stepMs) ms, times a jitter of 0.5–1.5. */
  capMs: number;
  stepMs: number;
  /** Called before each pause. */
  onRetry?: () => void;
}

/**
 * Runs `fn` again while it throws a retryable error, until the policy's
 * deadline. The pause grows and is jittered so racing processes spread out.
 * The one loop behind retryBusy (opening), FanoutCache's whole-cache
 * operations and FanoutCache.transact.
 */
export function withRetries<T>(fn: () => T, policy: RetryPolicy): T {
  const deadline = Date.now() + policy.seconds * 1000;
  for (let attempt = 0; ; attempt++) {
    try {
      return fn();
    } catch (error) {
      if (!policy.retryable(error) || Date.now() >= deadline) throw error;
      policy.onRetry?.();
      sleepMs(Math.min(policy.capMs, 1 + attempt * policy.stepMs) * (0.5 + Math.random()));
    }
  }
}

/** Another process's write lock is usually held for tens of microseconds: the first pause is about that. */
export const LOCK_WAIT_FIRST_MS = 0.025;
/** Pauses double up to this, so a long wait costs few tries and a freed lock is seen within about this. */
export const LOCK_WAIT_CAP_MS = 0.5;

/**
 * Runs `fn` again while it throws a retryable error, for up to `seconds`:
 * pauses start at LOCK_WAIT_FIRST_MS and double to LOCK_WAIT_CAP_MS,
 * jittered (0.5–1.5×) so processes waiting on one lock spread out; the last
 * pause is cut short so the final try falls at the deadline. With `seconds`
 * 0 a failing `fn` is tried once.
 *
 * This is the write-lock wait (Core.lockWait) in place of SQLite's busy
 * handler, which sleeps 1 ms, then 2, 5, 10 … ms between looks: a write that
 * met a lock freed 50 µs later still waited about 1.1 ms.
 */
export function withLockWait<T>(fn: () => T, retryable: (error: unknown) => boolean, seconds: number): T {
  const deadline = performance.now() + seconds * 1000;
  for (let pause = LOCK_WAIT_FIRST_MS; ; pause = Math.min(LOCK_WAIT_CAP_MS, pause * 2)) {
    try {
      return fn();
    } catch (error) {
      const left = deadline - performance.now();
      if (!retryable(error) || !(left > 0)) throw error;
      sleepMs(Math.min(left, pause * (0.5 + Math.random())));
    }
  }
}
