/**
 * True for a Promise or any object or function with a `then` method. The
 * harness awaits only these, so a synchronous store is timed without an
 * await; undefined and null (an operation that answers nothing) are not
 * thenables.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
