import type { JsonData } from '../disk.js';
import { InvalidOptionError, InvalidValueError } from '../errors.js';
import { memoKey, type Memoized } from '../memoize.js';
import { memoizeKeyName } from '../memoize-name.js';
import type { Entry } from '../store.js';
import { deleteState, type RecipeCache } from './recipe-cache.js';
import { isThenable } from '../thenable.js';

export interface StampedeOptions {
  /** Seconds each result lives (required: without expiry there is no stampede to prevent). */
  expire: number;
  /** Key namespace, unique to this function (required: see memoizeKeyName). */
  name?: string;
  tag?: string | null;
  /** Larger recomputes earlier. @default 1 */
  beta?: number;
  /** Uniform in (0, 1]. @default Math.random */
  random?: () => number;
}

const MISSING = Symbol('missing');

/**
 * memoize with early probabilistic recomputation (Vattani et al., "Optimal
 * Probabilistic Cache Stampede Prevention"), as diskcache's memoize_stampede.
 * Each result is stored with `delta`, the seconds it took to compute. A call
 * that finds it with `ttl` seconds left recomputes early when
 * `-delta × beta × ln(random()) ≥ ttl`, which grows likelier as expiry nears;
 * the first such caller wins a marker key (add) and recomputes, every other
 * caller keeps returning the cached value. So an expiring value is
 * recomputed about once, not once per process.
 * Two differences from diskcache, both measured with 4 processes: the marker
 * lives until the recompute ends (removed then; it expires with the old
 * value should the recomputing process die), not `delta` seconds — under
 * CPU contention a recompute outlasts delta and a second caller would start
 * another; and there is no background thread: the winner recomputes in its
 * own call. Results are stored as JSON data, `[result, delta]`.
 */
export function memoizeStampede<A extends unknown[], R extends JsonData>(
  cache: RecipeCache,
  fn: (...args: A) => R,
  options: StampedeOptions,
): Memoized<A, R> {
  if (typeof options !== 'object' || options === null)
    throw new InvalidOptionError('options', 'memoizeStampede needs an options object with expire > 0 seconds');
  const name = memoizeKeyName(fn, options, 'memoizeStampede');
  const { expire, tag = null, beta = 1, random = Math.random } = options;
  if (typeof expire !== 'number' || !(expire > 0))
    throw new InvalidOptionError('expire', 'memoizeStampede needs expire > 0 seconds');
  if (typeof beta !== 'number' || !(beta >= 0))
    throw new InvalidOptionError('beta', `expected a number ≥ 0, got ${String(beta)}`);
  const cacheKey = (...args: A): string => memoKey(name, args);

  const compute = (key: string, args: A): R => {
    const start = cache.clock();
    const result = fn(...args);
    if (isThenable(result)) {
      throw new InvalidValueError('memoizeStampede stores results synchronously; the function returned a Promise');
    }
    const delta = Math.max(cache.clock() - start, 0);
    cache.set(key, [result, delta], { expire, tag });
    return result;
  };

  const wrapped = (...args: A): R => {
    const key = cacheKey(...args);
    const entry = cache.get(key, { default: MISSING, expireTime: true }) as Entry<[R, number] | typeof MISSING>;
    if (entry.value === MISSING) return compute(key, args);
    const [result, delta] = entry.value;
    const ttl = (entry.expireTime ?? Infinity) - cache.clock();
    if (-delta * beta * Math.log(random()) < ttl) return result;
    // Early recomputation: one caller wins the marker; the rest keep the cached value.
    const marker = `${key}:recompute`;
    if (!cache.add(marker, null, { expire: Math.max(ttl, 0.001), pin: true })) return result;
    try {
      return compute(key, args);
    } finally {
      deleteState(cache, marker); // a marker left behind would block early recomputation until it expires
    }
  };
  return Object.assign(wrapped, { cacheKey });
}
