import { deflateSync, inflateSync } from 'node:zlib';
import { CorruptCacheError } from './errors.js';

/**
 * The compressed value format (setting `diskCompressLevel`, after diskcache's
 * JSONDisk and its `compress_level`). A compressed value keeps the mode of
 * its uncompressed form (text, JSON or bytes) with this bit set, so every row
 * declares its own format: a cache opens and reads correctly whatever the
 * setting is now or was when each value was written, and an engine that does
 * not know the bit refuses the row by its unknown mode instead of returning
 * deflated bytes as the value. The bytes are zlib's format (RFC 1950), whose
 * Adler-32 checksum catches a damaged value.
 */
export const COMPRESSED = 0x10;

/**
 * Values shorter than this are stored as they are: zlib's header and checksum
 * take 6 bytes, so a short value rarely shrinks and every try costs a deflate.
 */
export const COMPRESS_MIN_BYTES = 64;

/** True when a row's mode has the compressed bit. */
export function isCompressed(mode: number): boolean {
  return (mode & COMPRESSED) !== 0;
}

/** The mode of the value before compression. */
export function uncompressedMode(mode: number): number {
  return mode & ~COMPRESSED;
}

/** `data` deflated at `level`, or undefined when it is short or would not shrink (then it is stored as is). */
export function deflated(data: Buffer, level: number): Buffer | undefined {
  if (data.byteLength < COMPRESS_MIN_BYTES) return undefined;
  const packed = deflateSync(data, { level });
  return packed.byteLength < data.byteLength ? packed : undefined;
}

/** The bytes a compressed value was made from; damaged data is a CorruptCacheError naming `where`. */
export function inflated(data: Buffer, where: string): Buffer {
  try {
    return inflateSync(data);
  } catch (error) {
    throw new CorruptCacheError(
      where,
      `holds a compressed value that does not inflate (${(error as Error).message})`,
      error,
      'run check({ fix: true }) or delete or set the key again',
    );
  }
}
