import { hasTooManyDigits, MAX_BIGINT_DIGITS } from './bigint-digits.js';
import { isWellFormed } from './is-well-formed.js';
import { InvalidOptionError } from './errors.js';
import { METHOD_OPTIONS, type MethodOptions, type OptionsMethod } from './method-options.js';
import { closest } from './units.js';

/** Options shared by set, add, push. `expire` is in seconds (float) from now; null/undefined never expires. */
export interface StoreOptions {
  expire?: number | null;
  tag?: string | null;
  /** Store file content: the value is a file path (copied) or bytes, always kept in a spill file. */
  read?: boolean;
  /**
   * Never evicted by the eviction policy to keep under sizeLimit (expiry,
   * delete and clear still remove it); a later store without `pin` unpins.
   * The recipes pin their state. @default false
   */
  pin?: boolean;
}

/** The absolute expiry time (seconds) for `expire` seconds from `now`. */
export function expireTime(now: number, expire: number | null | undefined): number | null {
  if (expire === undefined || expire === null) return null;
  if (typeof expire !== 'number' || expire !== expire) {
    throw new InvalidOptionError(
      'expire',
      `expected seconds (a number) or null, got ${typeof expire === 'number' ? 'NaN' : typeof expire}`,
    );
  }
  return now + expire;
}

export function checkTag(tag: unknown): string | null {
  if (tag === undefined || tag === null) return null;
  if (typeof tag !== 'string') throw new InvalidOptionError('tag', `expected a string or null, got ${typeof tag}`);
  if (!isWellFormed(tag))
    throw new InvalidOptionError('tag', 'has an unpaired surrogate (invalid UTF-16) and would be stored changed');
  return tag;
}

const NO_OPTIONS = Object.freeze({});

/**
 * The one place options arguments are checked: undefined and null mean none;
 * anything else must be an object whose keys are the method's options (see
 * method-options.ts), each of its type. A misspelt key or a diskcache-style
 * positional argument (`set(key, value, 60)`, `get(key, 0)`) would otherwise
 * be ignored silently. Cheap enough for the hot path: it runs only when
 * options are passed, and loops over the keys given, not the keys allowed.
 */
export function optionsOf<T extends object>(options: T | null | undefined, method: OptionsMethod): T {
  if (options === undefined || options === null) return NO_OPTIONS as T;
  const spec = METHOD_OPTIONS[method];
  if (typeof options !== 'object' || Array.isArray(options)) throw notAnObject(options, method, spec);
  // for-in, not Object.keys: no array allocated; inherited keys are read by the methods too, so they are checked too.
  for (const key in options) {
    const check = spec.checks.get(key);
    if (check === undefined) throw unknownOption(key, method, spec);
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue; // an option left undefined is an option not given
    const problem = check(value);
    if (problem !== undefined) throw new InvalidOptionError(key, `${method}(): ${problem}, got ${describe(value)}`);
  }
  return options;
}

function unknownOption(key: string, method: OptionsMethod, spec: MethodOptions): InvalidOptionError {
  const allowed = [...spec.checks.keys()];
  const hint = closest(key, allowed);
  return new InvalidOptionError(
    key,
    `unknown option of ${method}()${hint === undefined ? '' : `; did you mean ${hint}?`} (it takes ${allowed.join(', ')})`,
  );
}

/** Says what to pass instead, reusing the value given when it fits the option diskcache takes in that place. */
function notAnObject(value: unknown, method: OptionsMethod, spec: MethodOptions): InvalidOptionError {
  const fits = spec.checks.get(spec.positional)!(value) === undefined && (typeof value !== 'object' || value === null);
  const shown = fits && typeof value !== 'function' && typeof value !== 'symbol' ? literal(value) : spec.example;
  return new InvalidOptionError(
    'options',
    `${method}() takes an options object such as { ${spec.positional}: ${shown} }, not ${describe(value)}`,
  );
}

function literal(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/['\\]/g, '\\$&')}'`;
  if (typeof value === 'bigint')
    // Printing digits is superlinear: a huge bigint would hold up the error for minutes (bigint-digits.ts).
    return hasTooManyDigits(value) ? `(more than ${MAX_BIGINT_DIGITS} decimal digits)` : `${value}n`;
  return String(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' || typeof value === 'function' || typeof value === 'symbol') return `a ${typeof value}`;
  return `${typeof value} ${literal(value)}`;
}

/**
 * The directory argument of Cache, FanoutCache, Deque and Index: a path, or nothing for a
 * temp directory. JavaScript callers porting diskcache pass other things first (Deque(iterable),
 * FanoutCache(shards)); path.resolve would throw a raw TypeError on them.
 */
export function checkDirectory(directory: unknown, what: string): string | undefined {
  if (directory === undefined || (typeof directory === 'string' && directory !== '')) return directory;
  throw new InvalidOptionError(
    'directory',
    `${what} takes (directory?, options?): expected a non-empty path string, or nothing for a new temp directory; got ${describe(directory)}`,
  );
}

/** transact(5) would fail inside the transaction as a raw TypeError; refuse it before taking any lock. */
export function checkTransactFn(fn: unknown): void {
  if (typeof fn !== 'function') {
    throw new InvalidOptionError(
      'fn',
      `transact() needs a synchronous function to run in the transaction, got ${fn === null ? 'null' : typeof fn}`,
    );
  }
}
