import type { ReadStream } from 'node:fs';
import { join } from 'node:path';
import { hasTooManyDigits, tooManyDigitsDetail } from './bigint-digits.js';
import { inflated, uncompressedMode } from './compress.js';
import { compressValue, decompressedValue, isCompressedValue } from './compressed-value.js';
import { encodeJson } from './encode-json.js';
import type { DiskOptions, StoredValue } from './disk-options.js';
import { damaged, notStreamable, readSourceError, unstorable } from './disk-errors.js';
import { InvalidKeyError, InvalidValueError } from './errors.js';
import { isWellFormed } from './is-well-formed.js';
import { KIND, MODE, type JsonData, type Key, type SqlValue, type Value } from './key-value.js';
import { SpillFiles } from './spill-files.js';
import { toBuffer } from './to-buffer.js';
import { typeName } from './type-name.js';

export type { DiskOptions, StoredValue } from './disk-options.js';
export { KIND, MODE, type JsonData, type Key, type SqlValue, type Value } from './key-value.js';

export type DiskClass = new (directory: string, options: DiskOptions) => Disk;

/**
 * Serialisation between JS values and SQLite columns / spill files. JSON with a
 * type tag (the mode) only: nothing here ever executes code while decoding.
 * Subclass and pass `{ disk: MyDisk }` to change the encoding. The spill-file
 * half (naming, writing, removing) is inherited from SpillFiles.
 */
export class Disk extends SpillFiles {
  /**
   * Reused for every store() so the hot path of set allocates nothing; callers
   * read the fields before the next store().
   */
  private readonly out: StoredValue = { mode: 0, value: null, filename: null, size: 0 };

  /** The kind of a key; throws InvalidKeyError naming the type of anything else. */
  keyKind(key: unknown): number {
    switch (typeof key) {
      case 'string':
        // Three UTF-8 bytes per UTF-16 unit at most: only huge strings pay for the byte count.
        if (key.length * 3 > MAX_KEY_BYTES && Buffer.byteLength(key) > MAX_KEY_BYTES)
          throw keyTooBig(Buffer.byteLength(key));
        if (!isWellFormed(key)) {
          throw new InvalidKeyError(
            'a string with an unpaired surrogate (invalid UTF-16) has no UTF-8 form and would come back from keys() changed; use well-formed text or a Buffer',
          );
        }
        return KIND.STRING;
      case 'number':
        if (key !== key) throw new InvalidKeyError('NaN cannot be a key (it equals nothing)');
        return KIND.NUMBER;
      case 'bigint':
        if (hasTooManyDigits(key)) throw new InvalidKeyError(tooManyDigitsDetail());
        return KIND.BIGINT;
      case 'object':
        if (key instanceof Uint8Array) {
          if (key.byteLength > MAX_KEY_BYTES) throw keyTooBig(key.byteLength);
          return KIND.BYTES;
        }
    }
    throw new InvalidKeyError(`got ${typeName(key)}`);
  }

  /** The database form of a key of a given kind. */
  keyValue(key: Key, kind: number): SqlValue {
    switch (kind) {
      case KIND.NUMBER:
        return (key as number) === 0 ? 0 : (key as number); // -0 and 0 are one key
      case KIND.BIGINT:
        return (key as bigint).toString(); // TEXT keeps any size exact
      case KIND.BYTES:
        return toBuffer(key as Uint8Array);
      default:
        return key as string;
    }
  }

  decodeKey(dbKey: SqlValue, kind: number): Key {
    switch (kind) {
      case KIND.NUMBER:
        return dbKey as number;
      case KIND.BIGINT:
        return BigInt(dbKey as string);
      case KIND.BYTES:
        return dbKey as Buffer;
      default:
        return dbKey as string;
    }
  }

  /**
   * Encodes a value. Large values (or any value with `read`) are written to a
   * spill file now, before the row that points at it commits.
   * With `read`, `value` is a file path (its content is copied) or bytes.
   */
  store(value: unknown, read = false): StoredValue {
    const out = this.out;
    out.filename = null;
    out.size = 0;
    if (read) return this.storeRead(value);
    const level = this.options.compressLevel;
    if (
      level !== undefined &&
      level > 0 &&
      (typeof value === 'string' || (typeof value === 'object' && value !== null))
    ) {
      const packed = this.storeCompressed(value, level);
      if (packed !== undefined) return packed;
    }
    switch (typeof value) {
      case 'string':
        // Unpaired surrogates have no UTF-8 form; JSON escapes them (\ud800), so such text round-trips as JSON.
        if (!isWellFormed(value)) return this.storeJson(JSON.stringify(value));
        out.mode = MODE.TEXT;
        // Three bytes per UTF-16 unit bounds the UTF-8 size, so short strings skip the byte count.
        if (value.length * 3 < this.options.minFileSize || Buffer.byteLength(value) < this.options.minFileSize) {
          out.value = value;
        } else this.spill(value, out);
        return out;
      case 'number':
        // SQLite turns NaN into NULL, so NaN gets its own mode; -0 and ±Infinity survive as REAL.
        out.mode = value !== value ? MODE.NAN : MODE.NUMBER;
        out.value = value !== value ? null : value;
        return out;
      case 'bigint':
        if (hasTooManyDigits(value)) throw new InvalidValueError(tooManyDigitsDetail());
        out.mode = MODE.BIGINT;
        out.value = value.toString();
        return out;
      case 'boolean':
        out.mode = MODE.BOOLEAN;
        out.value = value ? 1 : 0;
        return out;
      case 'object':
        if (value === null) {
          out.mode = MODE.NULL;
          out.value = null;
          return out;
        }
        if (value instanceof Uint8Array) {
          out.mode = MODE.BYTES;
          if (value.byteLength < this.options.minFileSize) out.value = toBuffer(value);
          else this.spill(value, out);
          return out;
        }
        return this.storeJson(encodeJson(value));
    }
    throw unstorable(value);
  }

  /**
   * Throws the type error store() would throw, without writing anything: a
   * batch spread over several shards checks every value before the first
   * shard commits, so bad input never leaves half a batch behind.
   */
  assertStorable(value: unknown, read = false): void {
    if (read) {
      if (typeof value !== 'string' && !(value instanceof Uint8Array)) throw readSourceError(value);
      return;
    }
    switch (typeof value) {
      case 'bigint':
        if (hasTooManyDigits(value)) throw new InvalidValueError(tooManyDigitsDetail());
        return;
      case 'string':
      case 'number':
      case 'boolean':
        return;
      case 'object':
        if (value !== null && !(value instanceof Uint8Array)) encodeJson(value);
        return;
    }
    throw unstorable(value);
  }

  private storeJson(text: string): StoredValue {
    const out = this.out;
    out.mode = MODE.JSON;
    out.value = text;
    if (text.length * 3 >= this.options.minFileSize && Buffer.byteLength(text) >= this.options.minFileSize)
      this.spill(text, out);
    return out;
  }

  /**
   * Decodes a row's value (reading the spill file when there is one). Text
   * that no longer parses as its mode says (damaged or hand-edited rows or
   * files) and a mode no Disk writes are CorruptCacheError naming the file.
   */
  fetch(mode: number, filename: string | null, value: SqlValue): Value {
    if (isCompressedValue(mode)) return decompressedValue(mode, this.inflate(filename, value), this.dbFile());
    if (filename !== null) {
      const content = this.readFile(filename);
      switch (mode) {
        case MODE.TEXT:
          return content.toString('utf8');
        case MODE.JSON:
          return this.parsed(() => JSON.parse(content.toString('utf8')) as JsonData, this.path(filename));
        case MODE.BYTES:
          return content;
      }
      throw damaged(
        this.path(filename),
        `is a spill file of unknown value mode ${mode} (written by a different Disk class?)`,
      );
    }
    switch (mode) {
      case MODE.TEXT:
      case MODE.NUMBER:
        return value as string | number;
      case MODE.BIGINT:
        return this.parsed(() => BigInt(value as string), this.dbFile());
      case MODE.BYTES:
        return value as Buffer;
      case MODE.BOOLEAN:
        return value === 1;
      case MODE.NULL:
        return null;
      case MODE.JSON:
        return this.parsed(() => JSON.parse(value as string) as JsonData, this.dbFile());
      case MODE.NAN:
        return NaN;
    }
    throw damaged(this.dbFile(), `has a row of unknown value mode ${mode} (written by a different Disk class?)`);
  }

  private parsed<T>(parse: () => T, file: string): T {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof SyntaxError || error instanceof TypeError)) throw error;
      throw damaged(file, `holds a value that no longer parses (${error.message})`, error);
    }
  }

  /** cache.db of this directory (the name open.ts gives it; imported from there it would make an import cycle). */
  private dbFile(): string {
    return join(this.directory, 'cache.db');
  }

  /**
   * A stream of a value's bytes: the spill file when there is one (opened now,
   * so a concurrent delete cannot pull it away), else the row's bytes or text.
   */
  openRead(mode: number, filename: string | null, value: SqlValue): ReadStream | Buffer {
    if (isCompressedValue(mode)) return this.readCompressed(mode, filename, value);
    if (filename !== null) return this.openFile(filename);
    if (mode === MODE.BYTES) return value as Buffer;
    if (mode === MODE.TEXT) return Buffer.from(value as string, 'utf8');
    throw notStreamable(mode);
  }

  /** Text, JSON or bytes deflated, with the compressed bit on its mode; undefined when it would not shrink. */
  private storeCompressed(value: string | object, level: number): StoredValue | undefined {
    const packed = compressValue(value, level);
    if (packed === undefined) return undefined;
    const out = this.out;
    out.mode = packed.mode;
    if (packed.bytes.byteLength >= this.options.minFileSize) this.spill(packed.bytes, out);
    else out.value = packed.bytes;
    return out;
  }

  /** The uncompressed bytes of a compressed row or spill file. */
  private inflate(filename: string | null, value: SqlValue): Buffer {
    if (filename !== null) return inflated(this.readFile(filename), this.path(filename));
    return inflated(value as Buffer, join(this.directory, 'cache.db'));
  }

  private readCompressed(mode: number, filename: string | null, value: SqlValue): Buffer {
    const base = uncompressedMode(mode);
    if (base !== MODE.BYTES && base !== MODE.TEXT) throw notStreamable(base);
    return this.inflate(filename, value);
  }

  private storeRead(value: unknown): StoredValue {
    const out = this.out;
    out.mode = MODE.BYTES;
    if (value instanceof Uint8Array) {
      this.spill(value, out);
      return out;
    }
    if (typeof value !== 'string') throw readSourceError(value);
    this.copyIn(value, out);
    return out;
  }
}

/**
 * The most bytes better-sqlite3 12 binds as one string or blob (measured; beyond
 * it binding throws a bare RangeError "too big"). A key must fit in one column.
 */
export const MAX_KEY_BYTES = 536_870_888;

function keyTooBig(bytes: number): InvalidKeyError {
  return new InvalidKeyError(
    `a key of ${bytes} bytes is over SQLite's limit of ${MAX_KEY_BYTES}; use a digest of it (e.g. SHA-256) as the key`,
  );
}
