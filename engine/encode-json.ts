import { InvalidValueError } from './errors.js';
import { typeName } from './type-name.js';

/**
 * JSON.stringify with a replacer that refuses anything JSON would silently
 * change: undefined, functions, Dates, Maps, class instances, NaN, ±Infinity, -0.
 */
export function encodeJson(value: object): string {
  try {
    return JSON.stringify(value, checkJson);
  } catch (error) {
    // JSON.stringify's own refusals: a circular structure (TypeError), nesting too deep for the stack (RangeError).
    if (error instanceof TypeError || error instanceof RangeError)
      throw new InvalidValueError(`${error.message}; store plain, acyclic JSON data`);
    throw error;
  }
}

function checkJson(this: Record<string, unknown>, key: string, replaced: unknown): unknown {
  const original = this[key];
  const where = key === '' ? '' : ` (at ${JSON.stringify(key)})`;
  switch (typeof original) {
    case 'string':
    case 'boolean':
      return replaced;
    case 'number':
      if (Number.isFinite(original) && !Object.is(original, -0)) return replaced;
      throw new InvalidValueError(
        `${Object.is(original, -0) ? '-0' : String(original)} inside JSON data${where} would not round-trip; store it as a top-level number instead`,
      );
    case 'object': {
      if (original === null) return replaced;
      const proto = Object.getPrototypeOf(original) as unknown;
      const plain = Array.isArray(original) ? proto === Array.prototype : proto === Object.prototype || proto === null;
      if (plain && typeof (original as { toJSON?: unknown }).toJSON !== 'function') return replaced;
      throw new InvalidValueError(
        `${typeName(original)}${where} is not plain JSON data and would come back as a different type`,
      );
    }
  }
  throw new InvalidValueError(`${typeName(original)}${where} cannot be stored in JSON data`);
}
