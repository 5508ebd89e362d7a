/**
 * True for a Promise or any object with a `then` method. transact() and the
 * memoizers are synchronous and refuse such results; undefined and null
 * (a function that returns nothing) are not thenables and must not throw here.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
