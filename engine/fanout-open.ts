import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Cache } from './cache.js';
import { InvalidOptionError, ShardLayoutError } from './errors.js';
import { createLayout, readLayout, shardDirectory, type Layout } from './fanout-layout.js';
import { migrateLayout, openAll } from './fanout-migrate.js';
import { ensureDirectory, OPEN_TIMEOUT } from './open.js';
import { checkDirectory } from './arguments.js';
import { checkOptions, type CacheOptions } from './options.js';
import { DEFAULT_SETTINGS, SETTINGS, type Settings } from './settings.js';
import { HASH_NAME } from './shard-hash.js';
import { closest } from './units.js';

export interface FanoutOptions extends CacheOptions {
  /** Number of shards; a directory that already has shards keeps its count unless `migrate`. @default 8 (or the stored count) */
  shards?: number;
  /** Seconds an operation waits for its shard's lock before it is given up and counted as a timeout. @default 0.010 */
  timeout?: number;
  /** Rehash every entry into `shards` shards when the directory holds another count. @default false */
  migrate?: boolean;
  /**
   * How a shard waits for another process's lock. @default 'poll' — unlike Cache: with the
   * load spread over shards a wait is short, and SQLite's busy handler would sleep ≥ 1 ms
   * anyway (docs/engine.md, "Lock waits", for the measurements behind both defaults).
   */
  lockWait?: Settings['lockWait'];
}

export const FANOUT_DEFAULTS = { shards: 8, timeout: 0.01, lockWait: 'poll' } as const;
/** Opens tried when a migration in another process switches the layout while this one opens. */
const OPEN_ATTEMPTS = 5;

export interface OpenedFanout {
  directory: string;
  layout: Layout;
  caches: Cache[];
  timeout: number;
}

/**
 * Checks the options, reads (or creates) fanout.json, migrates when asked, and
 * opens the shards of the layout in force. A migration elsewhere can switch the
 * layout while the shards are being opened (its old shards are then retired
 * and refuse to open, or were opened just before); the layout is read again
 * after opening and the open is redone on the new one.
 */
export function openFanout(directory: string | undefined, options: FanoutOptions | undefined): OpenedFanout {
  checkFanoutOptions(options);
  const { shards: wanted, migrate = false, ...cacheOptions } = options ?? {};
  if (wanted !== undefined && !(Number.isInteger(wanted) && wanted >= 1 && wanted <= 999)) {
    throw new InvalidOptionError('shards', `expected a whole number 1..999, got ${String(wanted)}`);
  }
  if (typeof migrate !== 'boolean') throw new InvalidOptionError('migrate', 'expected true or false');
  // Every option checked before anything is created: the layout and the sizeLimit split use them first.
  checkOptions(cacheOptions);
  const timeout = SETTINGS.timeout.validate(cacheOptions.timeout ?? FANOUT_DEFAULTS.timeout);
  // A user's openTimeout is respected; by default opening may wait longer than a (10 ms) operation timeout.
  const openTimeout = cacheOptions.openTimeout ?? Math.max(timeout, OPEN_TIMEOUT);
  const dir = resolve(checkDirectory(directory, 'FanoutCache') ?? mkdtempSync(join(tmpdir(), 'cachebench-fanout-')));
  ensureDirectory(dir, cacheOptions.dirMode ?? DEFAULT_SETTINGS.dirMode);
  const fileMode = cacheOptions.fileMode ?? DEFAULT_SETTINGS.fileMode;

  for (let attempt = 1; ; attempt++) {
    const existing = readLayout(dir);
    const count = wanted ?? existing?.shards ?? FANOUT_DEFAULTS.shards;
    let layout =
      existing ??
      createLayout(
        dir,
        { format: 'cachebench-fanout', version: 1, shards: count, hash: HASH_NAME, generation: 0 },
        fileMode,
      );
    const fresh = existing === undefined && layout.shards === count;
    // Total size limit split evenly; reopening without one keeps what the shards stored.
    const totalLimit = cacheOptions.sizeLimit ?? (fresh ? DEFAULT_SETTINGS.sizeLimit : undefined);
    const shardOptions = (index: number, n: number, inherited: Partial<Settings> = {}): CacheOptions => {
      const limit = totalLimit ?? (inherited.sizeLimit === undefined ? undefined : inherited.sizeLimit * layout.shards);
      return {
        ...inherited,
        ...cacheOptions,
        timeout,
        openTimeout,
        lockWait: cacheOptions.lockWait ?? FANOUT_DEFAULTS.lockWait,
        ...(limit === undefined ? {} : { sizeLimit: Math.floor(limit / n) }),
      };
    };

    if (layout.shards !== count || layout.hash !== HASH_NAME) {
      const problem =
        layout.hash !== HASH_NAME
          ? `its keys were placed with hash ${layout.hash}, this version uses ${HASH_NAME}`
          : `it holds ${layout.shards} shards and was opened with shards: ${count}`;
      if (!migrate) {
        throw new ShardLayoutError(
          dir,
          `${problem}; keys would be looked up in the wrong shards. ` +
            `Open it with shards: ${layout.shards} (or leave shards out), or pass migrate: true to rehash every entry`,
        );
      }
      const inherited = persistedSettings(
        new Cache(shardDirectory(dir, layout.generation, 0), shardOptions(0, layout.shards)),
      );
      layout = migrateLayout({
        directory: dir,
        from: layout,
        shards: count,
        fileMode,
        open: (folder, index, n, overrides) =>
          new Cache(folder, { ...shardOptions(index, n, inherited), ...overrides }),
      });
    }
    const opened = layout;
    let caches: Cache[];
    try {
      caches = openAll(
        opened.shards,
        (i) => new Cache(shardDirectory(dir, opened.generation, i), shardOptions(i, opened.shards)),
      );
    } catch (error) {
      // A retired shard (CorruptCacheError) or a folder removed under us: retry only if the layout moved on.
      if (attempt < OPEN_ATTEMPTS && layoutChanged(dir, opened)) continue;
      throw error;
    }
    if (!layoutChanged(dir, opened)) return { directory: dir, layout: opened, caches, timeout };
    for (const cache of caches) cache.close();
    if (attempt >= OPEN_ATTEMPTS) {
      throw new ShardLayoutError(
        dir,
        `the shard layout changed ${OPEN_ATTEMPTS} times while opening (migrations running?); try again once they are done`,
      );
    }
  }
}

/**
 * The layout now in fanout.json when it is another generation than `known`,
 * else undefined. Read only on error paths and once per open, never per
 * operation; an unreadable file counts as "not known to have changed".
 */
export function newerLayout(directory: string, known: Layout): Layout | undefined {
  try {
    const current = readLayout(directory);
    return current !== undefined && current.generation !== known.generation ? current : undefined;
  } catch {
    return undefined;
  }
}

function layoutChanged(directory: string, known: Layout): boolean {
  return newerLayout(directory, known) !== undefined;
}

/** Options only FanoutCache takes (the rest are Cache's, checked by checkOptions), and the names a typo is matched against. */
const FANOUT_ONLY = new Set(['shards', 'migrate']);
const FANOUT_HINTS = ['shards', 'migrate', 'timeout'];

/**
 * The options argument must be an object: `new FanoutCache(dir, 4)` is
 * diskcache's positional shard count and would otherwise open the default 8
 * shards and store that count for good. A near miss of a FanoutCache option
 * (`shard`) is named, since Cache's check does not know those names.
 */
function checkFanoutOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    const example = typeof options === 'number' ? `{ shards: ${options} }` : '{ shards: 4 }';
    throw new InvalidOptionError(
      'options',
      `new FanoutCache(directory, options) takes an options object such as ${example}, ` +
        `got ${Array.isArray(options) ? 'an array' : typeof options} (diskcache's positional shard count is not taken)`,
    );
  }
  for (const name of Object.keys(options)) {
    if (FANOUT_ONLY.has(name) || isCacheOption(name)) continue;
    const hint = closest(name, FANOUT_HINTS);
    if (hint !== undefined) throw new InvalidOptionError(name, `unknown option; did you mean ${hint}?`);
  }
}

/** True when Cache knows the option name (checkOptions refuses unknown names even with an undefined value). */
function isCacheOption(name: string): boolean {
  try {
    checkOptions({ [name]: undefined } as CacheOptions);
    return true;
  } catch {
    return false;
  }
}

/** The persisted settings a shard holds, to give new shards of a migration the same ones. */
function persistedSettings(cache: Cache): Partial<Settings> {
  try {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(cache.settings)) {
      if (SETTINGS[name as keyof Settings].persisted) out[name] = value;
    }
    return out as Partial<Settings>;
  } finally {
    cache.close();
  }
}
