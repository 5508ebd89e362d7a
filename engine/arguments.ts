import { isWellFormed } from './disk.js';
import { InvalidOptionError } from './errors.js';

/** Options shared by set, add, push. `expire` is in seconds (float) from now; null/undefined never expires. */
export interface StoreOptions {
  expire?: number | null;
  tag?: string | null;
  /** Store file content: the value is a file path (copied) or bytes, always kept in a spill file. */
  read?: boolean;
}

/** The absolute expiry time (seconds) for `expire` seconds from `now`. */
export function expireTime(now: number, expire: number | null | undefined): number | null {
  if (expire === undefined || expire === null) return null;
  if (typeof expire !== 'number' || expire !== expire) {
    throw new InvalidOptionError('expire', `expected seconds (a number) or null, got ${typeof expire === 'number' ? 'NaN' : typeof expire}`);
  }
  return now + expire;
}

export function checkTag(tag: unknown): string | null {
  if (tag === undefined || tag === null) return null;
  if (typeof tag !== 'string') throw new InvalidOptionError('tag', `expected a string or null, got ${typeof tag}`);
  if (!isWellFormed(tag)) throw new InvalidOptionError('tag', 'has an unpaired surrogate (invalid UTF-16) and would be stored changed');
  return tag;
}

/**
 * Options must be an object: `set(key, value, 60)` (diskcache's positional
 * expire) would otherwise be ignored silently and the value never expire.
 */
export function checkOptionsObject(options: unknown, method: string): void {
  if (typeof options !== 'object') {
    throw new InvalidOptionError('options', `${method} takes an options object such as { expire: 60 }, got ${typeof options}`);
  }
}

const NO_OPTIONS = Object.freeze({});

/**
 * The one place options arguments are normalised: undefined and null mean
 * none; anything else that is not an object (`get(key, 0)`, diskcache's
 * positional arguments) is refused instead of being ignored.
 */
export function optionsOf<T extends object>(options: T | null | undefined, method: string): T {
  if (options === undefined || options === null) return NO_OPTIONS as T;
  checkOptionsObject(options, method);
  return options;
}

/** transact(5) would fail inside the transaction as a raw TypeError; refuse it before taking any lock. */
export function checkTransactFn(fn: unknown): void {
  if (typeof fn !== 'function') {
    throw new InvalidOptionError('fn', `transact() needs a synchronous function to run in the transaction, got ${fn === null ? 'null' : typeof fn}`);
  }
}
