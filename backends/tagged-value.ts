import type { Value } from './backend.js';

/**
 * Byte stores (LMDB, LevelDB) keep no type per value, so one leading tag byte
 * records whether the caller stored text or bytes, and a get returns the same
 * type that was set. One byte per value, no serialiser in the hot path.
 */
const TEXT = 0;
const BYTES = 1;

export function encodeTagged(value: Value): Buffer {
  if (typeof value === 'string') {
    const out = Buffer.allocUnsafe(1 + Buffer.byteLength(value));
    out[0] = TEXT;
    out.write(value, 1, 'utf8');
    return out;
  }
  const out = Buffer.allocUnsafe(1 + value.byteLength);
  out[0] = BYTES;
  out.set(value, 1);
  return out;
}

/**
 * `stored` may be a buffer the store reuses for the next read (lmdb's
 * getBinaryFast, whose `length` is the value's size but whose `byteLength` is
 * the whole shared 16 MiB buffer), so read `length` and always copy bytes out.
 */
export function decodeTagged(stored: Uint8Array | undefined, store: string): Value | undefined {
  if (stored === undefined) return undefined;
  const tag = stored[0];
  const body = Buffer.from(stored.buffer, stored.byteOffset + 1, stored.length - 1);
  if (tag === TEXT) return body.toString('utf8');
  if (tag === BYTES) return Buffer.from(body);
  throw new Error(`${store}: stored value has unknown type tag ${tag}; was the database written by another program?`);
}
