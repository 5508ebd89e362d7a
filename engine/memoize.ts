import { optionsOf, type StoreOptions } from './arguments.js';
import { hasTooManyDigits, tooManyDigitsDetail } from './bigint-digits.js';
import type { Key, Value } from './disk.js';
import { encodeJson } from './encode-json.js';
import { typeName } from './type-name.js';
import { InvalidValueError } from './errors.js';
import { memoizeKeyName } from './memoize-name.js';
import { isThenable } from './thenable.js';

export interface MemoizeOptions {
  /** Seconds each result lives; null/undefined for ever. */
  expire?: number | null;
  tag?: string | null;
  /** Key namespace, unique to this function (required: see memoizeKeyName). */
  name?: string;
}

export type Memoized<A extends unknown[], R> = ((...args: A) => R) & {
  /** The cache key a call with these arguments uses. */
  cacheKey(...args: A): string;
};

const MISSING = Symbol('missing');

/** What memoize needs of a cache: Cache and FanoutCache both fit. */
export interface MemoCache {
  get<D>(key: Key, options: { default: D }): Value | D;
  set(key: Key, value: Value, options?: StoreOptions): boolean;
}

/**
 * Each argument as [type tag, data] so that 1, 1n, '1' and a one-byte buffer
 * make different keys, as they do as cache keys.
 */
function typedArgument(arg: unknown): unknown[] {
  switch (typeof arg) {
    case 'string':
      return ['s', arg];
    case 'number':
      return Number.isFinite(arg) && !Object.is(arg, -0) ? ['n', arg] : ['n', String(Object.is(arg, -0) ? '-0' : arg)];
    case 'bigint':
      if (hasTooManyDigits(arg)) throw new InvalidValueError(`memoize cannot key on ${tooManyDigitsDetail()}`);
      return ['i', arg.toString()];
    case 'boolean':
      return ['b', arg];
    case 'undefined':
      return ['u'];
    case 'object':
      if (arg === null) return ['z'];
      if (arg instanceof Uint8Array)
        return ['y', Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength).toString('base64')];
      encodeJson(arg); // refuses what would not round-trip (Date, Map, NaN inside, cycles), naming it
      return ['j', JSON.stringify(arg, sortedKeys)];
  }
  throw new InvalidValueError(`memoize cannot key on an argument of type ${typeName(arg)}`);
}

/** Plain objects with their keys in code-unit order: {a, b} and {b, a} are one argument (as diskcache sorts kwargs). */
function sortedKeys(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(source).sort()) {
    // defineProperty: a "__proto__" key stays an own property instead of setting the prototype.
    Object.defineProperty(sorted, k, { value: source[k], enumerable: true, configurable: true, writable: true });
  }
  return sorted;
}

/**
 * The key of a call: the name and each argument with its type tag. Trailing
 * undefined arguments are dropped, so f(1) and f(1, undefined) — one call to a
 * JS function with an optional parameter — share an entry.
 */
export function memoKey(name: string, args: readonly unknown[]): string {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  const parts: unknown[] = [name];
  for (let i = 0; i < end; i++) parts.push(typedArgument(args[i]));
  return `memoize:${JSON.stringify(parts)}`;
}

export function memoize<A extends unknown[], R extends Value>(
  cache: MemoCache,
  fn: (...args: A) => R,
  given?: MemoizeOptions,
): Memoized<A, R> {
  // memoize(fn, 60) (diskcache's positional expire) would otherwise never expire.
  const options = optionsOf(given, 'memoize');
  const name = memoizeKeyName(fn, options);
  const cacheKey = (...args: A): string => memoKey(name, args);
  const store = { expire: options.expire, tag: options.tag };
  const wrapped = (...args: A): R => {
    const key = cacheKey(...args);
    const hit = cache.get<typeof MISSING>(key, { default: MISSING });
    if (hit !== MISSING) return hit as R;
    const result = fn(...args);
    if (isThenable(result)) {
      throw new InvalidValueError('memoize stores results synchronously; the function returned a Promise');
    }
    cache.set(key, result, store);
    return result;
  };
  return Object.assign(wrapped, { cacheKey });
}
