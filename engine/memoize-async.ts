import type { Value } from './disk.js';
import { checkTag } from './arguments.js';
import { InvalidOptionError } from './errors.js';
import { closest } from './units.js';
import { memoKey } from './memoize.js';
import { memoizeKeyName } from './memoize-name.js';
import type { RecipeCache } from './recipes/recipe-cache.js';
import { NOT_YET, SingleFlight, type FlightOptions } from './single-flight.js';

export interface MemoizeAsyncOptions extends FlightOptions {
  /**
   * Key namespace, unique to this function across every process sharing the
   * cache (required: JavaScript cannot tell two functions of one name apart,
   * and bound or arrow functions have no useful name).
   */
  name: string;
  /** Seconds each result lives; null/undefined for ever. */
  expire?: number | null;
  tag?: string | null;
}

export type MemoizedAsync<A extends unknown[], R> = ((...args: A) => Promise<R>) & {
  /** The cache key a call with these arguments uses (memoize's keys: `memoize:[name, ...typed args]`). */
  cacheKey(...args: A): string;
};

/**
 * memoize for functions that return Promises: stores the resolved value, so
 * a later call (in any process) answers from the cache. While a value is
 * being computed, other calls for the same arguments share that one
 * computation — in this process through the pending promise, across
 * processes through a Lock in the cache (single-flight.ts); waiting never
 * blocks the event loop. A rejection is not stored: the callers that shared
 * it get it, and the next call computes again.
 */
export function memoizeAsync<A extends unknown[], R extends Value>(
  cache: RecipeCache,
  fn: (...args: A) => R | PromiseLike<R>,
  options: MemoizeAsyncOptions,
): MemoizedAsync<A, R> {
  const name = checkName(fn, options, 'memoizeAsync', MEMOIZE_ASYNC_OPTIONS);
  const { expire, tag } = options;
  const flight = new SingleFlight(cache, options);
  const store = { expire, tag };
  const cacheKey = (...args: A): string => memoKey(name, args);
  const lookup = (key: string): R | typeof NOT_YET => cache.get(key, { default: NOT_YET }) as R | typeof NOT_YET;

  const wrapped = async (...args: A): Promise<R> => {
    // Everything up to flight.run happens before the first await: a second call sees the first one's flight.
    const key = cacheKey(...args);
    const hit = lookup(key);
    if (hit !== NOT_YET) return hit;
    return flight.run(
      key,
      () => lookup(key),
      async () => {
        const result = await fn(...args);
        cache.set(key, result, store);
        return result;
      },
    );
  };
  return Object.assign(wrapped, { cacheKey });
}

const MEMOIZE_ASYNC_OPTIONS = ['name', 'expire', 'tag', 'crossProcess', 'lockExpire', 'timeout'];

/**
 * The options of an async memoizer, checked up front (a misspelt `expires`
 * would otherwise store results that never expire); returns the required name.
 */
export function checkName(fn: unknown, options: unknown, what: string, known: readonly string[]): string {
  if (typeof fn !== 'function') throw new InvalidOptionError('fn', `${what} needs a function`);
  if (typeof options !== 'object' || options === null) {
    throw new InvalidOptionError(
      'options',
      `${what}(cache, fn, options) needs an options object with a name, such as { name: 'loadUser' }`,
    );
  }
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const hint = closest(key, known);
    throw new InvalidOptionError(
      key,
      `unknown option of ${what}${hint === undefined ? '' : `; did you mean ${hint}?`} (it takes ${known.join(', ')})`,
    );
  }
  const { expire, tag } = options as { expire?: unknown; tag?: unknown };
  if (expire !== undefined && expire !== null && (typeof expire !== 'number' || expire !== expire)) {
    throw new InvalidOptionError(
      'expire',
      `expected seconds (a number) or null, got ${typeof expire === 'number' ? 'NaN' : typeof expire}`,
    );
  }
  checkTag(tag);
  // One rule for every memoizing wrapper's key namespace (memoize-name.ts).
  return memoizeKeyName(fn, options as { name?: unknown }, what);
}
