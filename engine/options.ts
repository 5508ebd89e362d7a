import { Disk, type DiskClass } from './disk.js';
import { InvalidOptionError } from './errors.js';
import { SETTINGS, SETTING_NAMES, type Settings } from './settings.js';
import { closest } from './units.js';

/**
 * Options of `new Cache(directory, options)`. Every setting is optional; an
 * option given here overrides the value stored in cache.db and is stored in
 * its place (as diskcache does), the others come from cache.db or
 * DEFAULT_SETTINGS.
 */
export interface CacheOptions extends Partial<Settings> {
  /** Serialiser class; subclass `Disk` to change how values are encoded. */
  disk?: DiskClass;
  /** Clock in seconds (float) used for expiry and store/access times. @default Date.now() / 1000 */
  now?: () => number;
  /**
   * Seconds opening may wait for other processes creating or opening
   * cache.db, so a short operation `timeout` does not fail `new Cache` when
   * several processes start together.
   * @default max(timeout, OPEN_TIMEOUT) — OPEN_TIMEOUT is 60 s
   */
  openTimeout?: number;
}

export interface CheckedOptions {
  explicit: Partial<Settings>;
  disk?: DiskClass;
  now?: () => number;
  openTimeout?: number;
}

const EXTRA = ['disk', 'now', 'openTimeout'] as const;
const KNOWN = new Set<string>([...SETTING_NAMES, ...EXTRA]);

/**
 * The options object of a class built on Cache (Deque, Index) before it takes
 * its own options out or adds defaults: destructuring or spreading a number
 * would silently leave nothing for checkOptions to refuse.
 */
export function objectOptions<T extends object>(options: T | null | undefined, what: string): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidOptionError(
      'options',
      `new ${what}(directory, options) takes an options object such as { sizeLimit: 2 ** 30 }, got ${Array.isArray(options) ? 'an array' : typeof options}`,
    );
  }
  return options;
}

/**
 * Validates every option up front; names unknown ones with a "did you mean"
 * hint, which also considers `own`: the options a wrapping class (Deque) took
 * out before passing the rest on, so `maxln` still suggests `maxlen`.
 */
export function checkOptions(options: CacheOptions | undefined, own: readonly string[] = []): CheckedOptions {
  const explicit: Partial<Settings> = {};
  if (options === undefined || options === null) return { explicit };
  if (typeof options !== 'object') {
    throw new InvalidOptionError('options', `expected an object, got ${typeof options}`);
  }
  for (const [name, value] of Object.entries(options)) {
    if (!KNOWN.has(name)) {
      const hint = closest(name, own.length === 0 ? KNOWN : [...KNOWN, ...own]);
      throw new InvalidOptionError(name, hint ? `unknown option; did you mean ${hint}?` : 'unknown option');
    }
    if (value === undefined || EXTRA.includes(name as (typeof EXTRA)[number])) continue;
    const setting = SETTINGS[name as keyof Settings];
    (explicit as Record<string, unknown>)[name] = setting.validate(value);
  }
  // A subclass, not any function: `new` on an arrow function would throw an untyped TypeError.
  if (
    options.disk !== undefined &&
    !(options.disk === Disk || (options.disk as unknown as { prototype?: unknown })?.prototype instanceof Disk)
  ) {
    throw new InvalidOptionError('disk', 'expected a Disk class (a subclass of Disk)');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new InvalidOptionError('now', 'expected a function returning seconds');
  }
  if (
    options.openTimeout !== undefined &&
    !(typeof options.openTimeout === 'number' && options.openTimeout >= 0 && Number.isFinite(options.openTimeout))
  ) {
    throw new InvalidOptionError('openTimeout', 'expected seconds >= 0');
  }
  return { explicit, disk: options.disk, now: options.now, openTimeout: options.openTimeout };
}
