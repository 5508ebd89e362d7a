import type { JsonData } from '../disk.js';
import { InvalidOptionError } from '../errors.js';
import { memoKey } from '../memoize.js';
import { checkName, type MemoizedAsync } from '../memoize-async.js';
import { NOT_YET, SingleFlight, type FlightOptions } from '../single-flight.js';
import type { Entry } from '../store.js';
import { deleteState, type RecipeCache } from './recipe-cache.js';

export interface StampedeAsyncOptions extends FlightOptions {
  /** Key namespace, unique to this function (required, as memoizeAsync's). */
  name: string;
  /** Seconds each result lives (required: without expiry there is no stampede to prevent). */
  expire: number;
  tag?: string | null;
  /** Larger recomputes earlier. @default 1 */
  beta?: number;
  /** Uniform in (0, 1]. @default Math.random */
  random?: () => number;
  /**
   * Called with the error of a background recomputation that failed (the
   * cached value stays until it expires). @default a process warning
   */
  onError?: (error: unknown) => void;
}

const KNOWN = ['name', 'expire', 'tag', 'beta', 'random', 'onError', 'crossProcess', 'lockExpire', 'timeout'];

/**
 * memoizeStampede for functions that return Promises. A result is stored as
 * `[value, delta]` (delta: the seconds the computation took). A call that
 * finds it returns it at once; when `-delta × beta × ln(random())` reaches
 * the seconds left before expiry, that call also starts a recomputation in
 * the background — as diskcache's memoize_stampede does in a thread — won by
 * one caller across processes (an `add` of `<key>:recompute`, removed when it
 * ends) and shared by every caller in this process. A miss computes as
 * memoizeAsync does: one computation per key, in this process and across
 * processes. Rejections are never stored.
 */
export function memoizeStampedeAsync<A extends unknown[], R extends JsonData>(
  cache: RecipeCache,
  fn: (...args: A) => R | PromiseLike<R>,
  options: StampedeAsyncOptions,
): MemoizedAsync<A, R> {
  const name = checkName(fn, options, 'memoizeStampedeAsync', KNOWN);
  const { expire, tag = null, beta = 1, random = Math.random, onError = warn } = options;
  if (typeof expire !== 'number' || !(expire > 0))
    throw new InvalidOptionError('expire', 'memoizeStampedeAsync needs expire > 0 seconds');
  if (typeof beta !== 'number' || !(beta >= 0))
    throw new InvalidOptionError('beta', `expected a number ≥ 0, got ${String(beta)}`);
  if (typeof random !== 'function')
    throw new InvalidOptionError('random', 'expected a function returning a number in (0, 1]');
  if (typeof onError !== 'function') throw new InvalidOptionError('onError', 'expected a function taking the error');
  const flight = new SingleFlight(cache, options);
  const cacheKey = (...args: A): string => memoKey(name, args);
  const entryOf = (key: string) =>
    cache.get(key, { default: NOT_YET, expireTime: true }) as Entry<[R, number] | typeof NOT_YET>;
  const lookup = (key: string): R | typeof NOT_YET => {
    const { value } = entryOf(key);
    return value === NOT_YET ? NOT_YET : value[0];
  };

  const compute = async (key: string, args: A): Promise<R> => {
    const start = cache.clock();
    const result = await fn(...args);
    cache.set(key, [result, Math.max(cache.clock() - start, 0)], { expire, tag });
    return result;
  };

  /** Starts the early recomputation unless this process or another already runs one. */
  const refresh = (key: string, args: A, ttl: number): void => {
    if (flight.busy(key)) return;
    const marker = `${key}:recompute`;
    if (!cache.add(marker, null, { expire: Math.max(ttl, 0.001) })) return;
    // The marker already makes it one computation across processes: no computing lock.
    flight
      .run(
        key,
        () => NOT_YET,
        () => compute(key, args),
        false,
      )
      .then(
        () => deleteState(cache, marker),
        (error: unknown) => {
          try {
            deleteState(cache, marker); // a marker left behind would block early recomputation until it expires
          } finally {
            onError(error);
          }
        },
      );
  };

  const wrapped = async (...args: A): Promise<R> => {
    const key = cacheKey(...args);
    const entry = entryOf(key);
    if (entry.value === NOT_YET)
      return flight.run(
        key,
        () => lookup(key),
        () => compute(key, args),
      );
    const [result, delta] = entry.value;
    const ttl = (entry.expireTime ?? Infinity) - cache.clock();
    if (-delta * beta * Math.log(random()) >= ttl) refresh(key, args, ttl);
    return result;
  };
  return Object.assign(wrapped, { cacheKey });
}

function warn(error: unknown): void {
  process.emitWarning(
    `memoizeStampedeAsync: a background recomputation failed (${error instanceof Error ? error.message : String(error)}); the cached value is kept until it expires`,
  );
}
