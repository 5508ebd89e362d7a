/**
 * The options each public method accepts, with the type each must have. A key
 * not listed is refused with a did-you-mean hint: `set(k, v, { expires: 60 })`
 * would otherwise store a value that never expires, and `get(k, { defualt: 5 })`
 * would drop the default. Values are checked for their type here; finer checks
 * (unpaired surrogates in a tag, a queue's range) stay where the value is used.
 */

/** undefined when `value` fits, else what was expected. */
type Check = (value: unknown) => string | undefined;

const flag: Check = (v) => (typeof v === 'boolean' ? undefined : 'expected true or false');
const anything: Check = () => undefined;
const seconds: Check = (v) =>
  v === null || (typeof v === 'number' && v === v) ? undefined : 'expected seconds (a number) or null';
const text: Check = (v) => (v === null || typeof v === 'string' ? undefined : 'expected a string or null');
const name: Check = (v) => (typeof v === 'string' && v !== '' ? undefined : 'expected a non-empty string');
const side: Check = (v) => (v === 'back' || v === 'front' ? undefined : "expected 'back' or 'front'");
const start: Check = (v) =>
  v === null || typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v))
    ? undefined
    : 'expected a finite number, a bigint or null';
const age: Check = (v) => (typeof v === 'number' && v >= 0 && Number.isFinite(v) ? undefined : 'expected seconds ≥ 0');

export interface MethodOptions {
  readonly checks: ReadonlyMap<string, Check>;
  /** The option diskcache takes positionally first: `set(k, v, 60)` means `{ expire: 60 }`. */
  readonly positional: string;
  /** A value of `positional` to show when the one given would not fit either. */
  readonly example: string;
}

function spec(checks: Record<string, Check>, positional: string, example: string): MethodOptions {
  return Object.freeze({ checks: new Map(Object.entries(checks)), positional, example });
}

const STORE = { expire: seconds, tag: text, read: flag, pin: flag };
const READ = { default: anything, expireTime: flag, tag: flag, read: flag };
const QUEUE = { prefix: text, side };

export const METHOD_OPTIONS = Object.freeze({
  set: spec(STORE, 'expire', '60'),
  add: spec(STORE, 'expire', '60'),
  setMany: spec(STORE, 'expire', '60'),
  setStream: spec({ expire: seconds, tag: text, pin: flag }, 'expire', '60'),
  push: spec({ ...STORE, ...QUEUE }, 'prefix', "'jobs'"),
  get: spec(READ, 'default', '0'),
  pop: spec(READ, 'default', '0'),
  getMany: spec({ default: anything }, 'default', '0'),
  pull: spec({ ...QUEUE, default: anything, read: flag }, 'prefix', "'jobs'"),
  peek: spec({ ...QUEUE, default: anything, read: flag }, 'prefix', "'jobs'"),
  queueLength: spec({ prefix: text }, 'prefix', "'jobs'"),
  incr: spec({ default: start }, 'default', '0'),
  decr: spec({ default: start }, 'default', '0'),
  check: spec({ fix: flag, orphanAge: age }, 'fix', 'true'),
  stats: spec({ enable: flag, reset: flag }, 'enable', 'true'),
  peekitem: spec({ expireTime: flag, tag: flag }, 'expireTime', 'true'),
  memoize: spec({ expire: seconds, tag: text, name }, 'expire', '60'),
  'Deque.fromCache': spec({ maxlen: anything, items: anything }, 'maxlen', '10'), // checkMaxlen names a bad maxlen
});

export type OptionsMethod = keyof typeof METHOD_OPTIONS;
