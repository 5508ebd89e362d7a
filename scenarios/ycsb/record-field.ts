import type { Value } from '../../backends/backend.js';

/**
 * The record `previous` with one field replaced by `field` bytes: field i spans bytes
 * [i × field.length, (i + 1) × field.length). Always a new buffer, since a store may hand
 * back the very bytes it holds (the memory backend does). A record shorter than the field's
 * end (written by something else) grows to hold it.
 */
export function withField(previous: Value, field: Uint8Array, index: number): Uint8Array {
  const old = typeof previous === 'string' ? Buffer.from(previous, 'utf8') : previous;
  const start = index * field.length;
  const record = new Uint8Array(Math.max(old.length, start + field.length));
  record.set(old);
  record.set(field, start);
  return record;
}
