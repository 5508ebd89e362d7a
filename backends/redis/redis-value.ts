import type { Value } from '../backend.js';

/**
 * How redis and redis-cluster store a Value: text as its UTF-8 bytes, so
 * INCRBY works on it; bytes behind a 0xFF marker byte, which never begins
 * valid UTF-8, so a get returns the same type that was set.
 */
const BYTES_MARK = 0xff;
const MARK = Buffer.from([BYTES_MARK]);

export function encodeValue(value: Value): string | Buffer {
  return typeof value === 'string' ? value : Buffer.concat([MARK, value]);
}

export function decodeValue(raw: Buffer | null): Value | undefined {
  if (raw === null) return undefined;
  return raw[0] === BYTES_MARK ? raw.subarray(1) : raw.toString('utf8');
}

/** Seconds to whole milliseconds for PX, never 0 (which Redis refuses). */
export function expireMs(seconds: number): number {
  return Math.max(1, Math.round(seconds * 1000));
}
