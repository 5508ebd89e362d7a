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
