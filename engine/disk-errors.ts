import { CorruptCacheError, InvalidValueError } from './errors.js';
import { MODE } from './key-value.js';
import { typeName } from './type-name.js';

/** The errors Disk throws about values it cannot store, stream or decode. */

/** A row or spill file whose value no longer decodes: one entry is damaged, not the whole cache. */
export function damaged(file: string, detail: string, cause?: unknown): CorruptCacheError {
  return new CorruptCacheError(file, `${detail}: the entry is damaged`, cause, 'delete or set the key to replace it');
}

/** A value of a type Disk cannot store. */
export function unstorable(value: unknown): InvalidValueError {
  return new InvalidValueError(
    `${typeName(value)} cannot be stored; use string, number, bigint, boolean, null, bytes or plain JSON data`,
  );
}

/** `read: true` given something other than a file path or bytes. */
export function readSourceError(value: unknown): InvalidValueError {
  return new InvalidValueError(`read: true expects a file path or bytes, got ${typeName(value)}`);
}

function modeName(mode: number): string {
  return (
    Object.entries(MODE)
      .find(([, m]) => m === mode)?.[0]
      .toLowerCase() ?? `mode ${mode}`
  );
}

/** openRead of a value that is neither bytes nor text. */
export function notStreamable(mode: number): InvalidValueError {
  return new InvalidValueError(`read: true streams bytes or text; this key holds a ${modeName(mode)} value`);
}
