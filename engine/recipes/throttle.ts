import { InvalidOptionError } from '../errors.js';
import { memoizeKeyName } from '../memoize-name.js';
import { sleepMs } from '../with-retries.js';
import { pinned, type RecipeCache, type RecipeOptions } from './recipe-cache.js';

export interface ThrottleOptions extends RecipeOptions {
  /** Key namespace, unique to this function (required: see memoizeKeyName). */
  name?: string;
  /** Clock in seconds. @default the cache clock */
  now?: () => number;
  /** Blocks for the given seconds. @default a thread sleep */
  sleep?: (seconds: number) => void;
}

/**
 * Wraps fn so that, across every process sharing the cache, at most `count`
 * calls START in any window of `seconds`.
 *
 * diskcache's throttle is a token bucket that starts full; it lets through up
 * to 2 × count in a window right after an idle spell, and each process that
 * decorates refills it. Here the state is a sliding log instead: the start
 * times of the last `count` calls, under one key, read and updated in one
 * transaction. A call may start once the oldest of them is `seconds` old;
 * otherwise it sleeps until then and tries again. The guarantee is exact for
 * every window, at the cost of a value of `count` numbers (keep count modest).
 * Creating the throttle does not reset the log, so processes can join freely.
 */
export function throttle<A extends unknown[], R>(
  cache: RecipeCache,
  fn: (...args: A) => R,
  count: number,
  seconds: number,
  options: ThrottleOptions = {},
): (...args: A) => R {
  if (!Number.isInteger(count) || count < 1)
    throw new InvalidOptionError('count', `expected a whole number ≥ 1, got ${String(count)}`);
  if (typeof seconds !== 'number' || !(seconds > 0) || !Number.isFinite(seconds)) {
    throw new InvalidOptionError('seconds', `expected seconds > 0, got ${String(seconds)}`);
  }
  const key = `throttle:${memoizeKeyName(fn, options, 'throttle')}`;
  const now = options.now ?? (() => cache.clock());
  const sleep = options.sleep ?? ((s: number) => sleepMs(s * 1000));
  const store = pinned(options);
  cache.add(key, [], store);

  /** 0 when this call may start (and is recorded), else seconds to wait. */
  const admit = (): number =>
    cache.transact(() => {
      const stored = cache.get(key, { default: [] });
      const log = Array.isArray(stored) ? (stored as number[]) : [];
      const t = now();
      if (log.length >= count) {
        const wait = log[log.length - count]! + seconds - t;
        if (wait > 0) return wait;
      }
      log.push(t);
      cache.set(key, log.slice(-count), store);
      return 0;
    });

  return (...args: A): R => {
    for (;;) {
      const wait = admit();
      if (wait === 0) return fn(...args);
      sleep(wait);
    }
  };
}
