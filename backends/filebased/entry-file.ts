import { deflateSync, inflateSync } from 'node:zlib';
import type { Value } from '../backend.js';

/**
 * The on-disk layout of one filebased entry, after Django's: a small header
 * holding the expiry time (Django pickles it first so `_is_expired` can read it
 * alone), then the zlib-compressed value.
 *
 *   bytes 0..7  expiry, float64 little-endian, seconds since the epoch (Infinity = never)
 *   byte  8     kind: 0 = UTF-8 text, 1 = raw bytes (Django pickles the type; we need only two)
 *   bytes 9..   zlib (deflate) stream of the value
 */
export const HEADER_BYTES = 9;
const TEXT = 0;
const BYTES = 1;

export function encodeEntry(expiresAt: number | null, value: Value): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeDoubleLE(expiresAt ?? Infinity, 0);
  header[8] = typeof value === 'string' ? TEXT : BYTES;
  const payload = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([header, deflateSync(payload)]);
}

/** Reads only the header: the expiry time in seconds, Infinity when the entry never expires. */
export function entryExpiry(file: Buffer): number {
  if (file.length < HEADER_BYTES)
    throw new Error(`filebased: entry file of ${file.length} bytes is shorter than its header`);
  return file.readDoubleLE(0);
}

export function decodeEntryValue(file: Buffer): Value {
  const payload = inflateSync(file.subarray(HEADER_BYTES));
  return file[8] === TEXT ? payload.toString('utf8') : payload;
}
