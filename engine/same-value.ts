import type { Value } from './disk.js';

/**
 * Equality of stored values for Deque.remove/count and Index comparisons:
 * same type and same content (bytes by bytes, JSON data by its encoding),
 * as the values would read back from the cache. NaN equals NaN here.
 */
export function sameValue(a: Value, b: Value): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return (
      a instanceof Uint8Array && b instanceof Uint8Array && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)
    );
  }
  if (typeof a === 'object' && a !== null)
    return typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b);
  return Object.is(a, b) || (a === 0 && b === 0);
}
