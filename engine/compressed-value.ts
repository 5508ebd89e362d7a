import { COMPRESSED, deflated, isCompressed, uncompressedMode } from './compress.js';
import { encodeJson } from './encode-json.js';
import { CorruptCacheError } from './errors.js';
import { isWellFormed } from './is-well-formed.js';
import { MODE, type JsonData, type Value } from './key-value.js';
import { toBuffer } from './to-buffer.js';

/** The modes a Disk compresses; the compressed bit on any other mode is damage, read as an unknown mode. */
const COMPRESSIBLE_MODES: ReadonlySet<number> = new Set([MODE.TEXT, MODE.BYTES, MODE.JSON]);

/** True when a row's mode is a compressible mode with the compressed bit set. */
export function isCompressedValue(mode: number): boolean {
  return Number.isInteger(mode) && isCompressed(mode) && COMPRESSIBLE_MODES.has(uncompressedMode(mode));
}

/** Text, JSON or bytes deflated, with the compressed bit on its mode; undefined when it would not shrink. */
export function compressValue(value: string | object, level: number): { mode: number; bytes: Buffer } | undefined {
  let mode: number;
  let bytes: Buffer;
  if (typeof value === 'string') {
    const text = isWellFormed(value);
    mode = text ? MODE.TEXT : MODE.JSON;
    bytes = Buffer.from(text ? value : JSON.stringify(value), 'utf8');
  } else if (value instanceof Uint8Array) {
    mode = MODE.BYTES;
    bytes = toBuffer(value);
  } else {
    mode = MODE.JSON;
    bytes = Buffer.from(encodeJson(value), 'utf8');
  }
  const packed = deflated(bytes, level);
  return packed === undefined ? undefined : { mode: mode | COMPRESSED, bytes: packed };
}

/** The value a compressed row or spill file holds, from its inflated bytes; `dbFile` is named when it is damaged. */
export function decompressedValue(mode: number, raw: Buffer, dbFile: string): Value {
  switch (uncompressedMode(mode)) {
    case MODE.TEXT:
      return raw.toString('utf8');
    case MODE.BYTES:
      return raw;
    case MODE.JSON:
      try {
        return JSON.parse(raw.toString('utf8')) as JsonData;
      } catch (error) {
        throw new CorruptCacheError(
          dbFile,
          'holds a compressed JSON value that does not parse',
          error,
          'delete or set the key again',
        );
      }
  }
  throw new CorruptCacheError(
    dbFile,
    `has a row of unknown value mode ${mode} (compressed bit set on a mode that is never compressed)`,
  );
}
