import { DEFAULT_SETTINGS, type SettingName, type Settings } from './default-settings.js';
import { InvalidOptionError } from './errors.js';
import { parseBoolean, parseBytes, parseCount, parseMode, parseSeconds } from './units.js';

export type SettingUnit = 'bytes' | 'seconds' | 'count' | 'pages' | 'enum' | 'boolean' | 'mode';

export interface SettingSpec<K extends SettingName = SettingName> {
  /** camelCase option name of `new Cache(dir, options)`. */
  readonly option: K;
  /** python-diskcache's snake_case name; also the key in the Settings table. */
  readonly name: string;
  /** Other accepted spellings (e.g. without the `sqlite_` prefix). */
  readonly aliases: readonly string[];
  readonly unit: SettingUnit;
  readonly default: Settings[K];
  /** Stored in cache.db and reloaded on open (per-connection options are not). */
  readonly persisted: boolean;
  readonly choices?: readonly string[];
  readonly description: string;
  /** Checks a value given in code or read back from cache.db; throws InvalidOptionError. */
  readonly validate: (value: unknown) => Settings[K];
  /** Parses a text such as `64MiB`, `wal`, `true`; throws InvalidOptionError. */
  readonly parse: (text: string) => Settings[K];
}

/** An integer in min..max (-0 as 0); throws InvalidOptionError naming the option. */
export function integer(option: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidOptionError(option, `expected an integer, got ${describe(value)}`);
  }
  if (value < min || value > max) {
    throw new InvalidOptionError(option, `${value} is out of range ${min}..${max}`);
  }
  // -0 passes Number.isInteger but is a double to V8: Node's fs asserts (aborts the
  // process) when a mode is not an Int32, so normalise it to 0 here.
  return value === 0 ? 0 : value;
}

/** A value as an error message shows it: `string "x"`, `number 5`, `null`. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return value === null ? 'null' : typeof value;
}

type Parser = (text: string) => number | boolean | undefined;
const UNIT_HINT: Record<SettingUnit, string> = {
  bytes: 'a byte size such as 0, 4096, 32KiB, 64MiB or 1GiB',
  seconds: 'seconds such as 60, 0.5, 500ms or 2m',
  count: 'a whole number',
  pages: 'a whole number of pages',
  enum: '',
  boolean: 'true or false',
  mode: 'an octal file mode such as 600',
};
const PARSERS: Record<Exclude<SettingUnit, 'enum'>, Parser> = {
  bytes: parseBytes,
  seconds: parseSeconds,
  count: parseCount,
  pages: parseCount,
  boolean: parseBoolean,
  mode: parseMode,
};

/** One row of the SETTINGS table; `parse` reads text in the setting's unit, then validates it. */
export function spec<K extends SettingName>(
  option: K,
  name: string,
  aliases: readonly string[],
  unit: SettingUnit,
  persisted: boolean,
  description: string,
  validate: (value: unknown) => Settings[K],
  choices?: readonly string[],
): SettingSpec<K> {
  const parse = (text: string): Settings[K] => {
    if (unit === 'enum') return validate(text.trim().toLowerCase());
    const parsed = PARSERS[unit](text);
    if (parsed === undefined) {
      throw new InvalidOptionError(option, `cannot read ${JSON.stringify(text)} as ${UNIT_HINT[unit]}`);
    }
    return validate(parsed);
  };
  return {
    option,
    name,
    aliases,
    unit,
    default: DEFAULT_SETTINGS[option],
    persisted,
    choices,
    description,
    validate,
    parse,
  };
}

/** Validates a byte count (an integer in min..max). */
export function bytes(option: string, min = 0, max?: number) {
  return (value: unknown) => integer(option, value, min, max);
}

/** Validates one of `choices`, case-insensitively. */
export function choice<T extends string>(option: string, choices: readonly T[]) {
  return (value: unknown): T => {
    const lower = typeof value === 'string' ? value.toLowerCase() : value;
    if (!choices.includes(lower as T)) {
      throw new InvalidOptionError(option, `${describe(value)} is not one of ${choices.join(', ')}`);
    }
    return lower as T;
  };
}

/** Validates a boolean (true/false, or 1/0 as read back from SQLite). */
export function flag(option: string) {
  return (value: unknown): boolean => {
    // Stored booleans come back from SQLite as 0/1.
    if (value === true || value === 1) return true;
    if (value === false || value === 0) return false;
    throw new InvalidOptionError(option, `expected true or false, got ${describe(value)}`);
  };
}
