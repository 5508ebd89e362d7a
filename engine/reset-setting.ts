import { Core } from './core.js';
import { CacheStateError, InvalidOptionError } from './errors.js';
import { waitsForLockItself } from './open.js';
import { settingIndexes } from './schema.js';
import { findSetting, type SettingName, type SettingSpec, type Settings } from './settings.js';
import { retryBusy } from './sqlite-errors.js';

/**
 * Cache.reset(setting, value): changes a setting of an open cache, as
 * diskcache's Cache.reset does — stored in the Settings table (so every later
 * open uses it), the SQLite pragma run for `sqlite_*` settings, the Disk
 * attribute changed for `disk_*` ones. Without a value it reloads the stored
 * one (another process may have changed it).
 */

/** The pragma behind each sqlite_* setting that can change on an open database. */
const PRAGMAS: Partial<Record<SettingName, string>> = {
  sqliteJournalMode: 'journal_mode',
  sqliteSynchronous: 'synchronous',
  sqliteMmapSize: 'mmap_size',
  sqliteCacheSize: 'cache_size',
};

/** Settings an open cache cannot take, with what to do instead. */
const FIXED: Partial<Record<SettingName, string>> = {
  sqlitePageSize: 'the page size is fixed when cache.db is created; create a new cache with it',
  sqliteAutoVacuum: 'auto_vacuum is fixed when cache.db is created; create a new cache with it',
  lockWait: 'pass it when opening: new Cache(dir, { lockWait })',
  walCheckpoint: 'pass it when opening: new Cache(dir, { walCheckpoint })',
  sqliteWalAutocheckpoint: 'pass it when opening: new Cache(dir, { sqliteWalAutocheckpoint })',
  fileMode: 'pass it when opening: new Cache(dir, { fileMode })',
  dirMode: 'pass it when opening: new Cache(dir, { dirMode })',
};

/** Settings whose prepared statements (cull LIMIT, policy SQL) a new Core has to prepare again. */
const NEEDS_NEW_CORE: ReadonlySet<SettingName> = new Set(['cullLimit', 'evictionPolicy']);

export interface ResetResult {
  value: unknown;
  /** The Core to use from now on (a new one when statements depend on the setting). */
  core: Core;
}

export function resetSetting(core: Core, name: unknown, given: unknown): ResetResult {
  if (typeof name !== 'string')
    throw new InvalidOptionError('setting', `reset() takes a setting name such as 'cull_limit', got ${typeof name}`);
  const spec: SettingSpec = findSetting(name);
  const option = spec.option;
  const fixed = FIXED[option];
  if (fixed !== undefined) throw new InvalidOptionError(option, `cannot be changed on an open cache: ${fixed}`);
  if (core.depth > 0) {
    throw new CacheStateError(
      'reset() changes the connection (pragmas, prepared statements); call it outside transact()',
    );
  }
  const value = given === undefined ? stored(core, spec) : checked(spec, given);
  if (spec.persisted) {
    core.write(() => {
      core.s.writeSetting.run(spec.name, typeof value === 'boolean' ? Number(value) : value);
      if (option === 'tagIndex' || option === 'evictionPolicy')
        settingIndexes(core.db, { ...core.settings, [option]: value });
    });
  }
  const settings = core.settings as unknown as Record<SettingName, unknown>;
  settings[option] = value;
  const pragma = PRAGMAS[option];
  if (pragma !== undefined) settings[option] = runPragma(core, pragma, value);
  switch (option) {
    case 'diskMinFileSize':
      core.disk.options.minFileSize = value as number;
      break;
    case 'diskCompressLevel':
      core.disk.options.compressLevel = value as number;
      break;
    case 'sqliteSynchronous':
      core.disk.options.syncFiles = settings[option] !== 'off';
      break;
    case 'statistics':
      core.readOnlyGet = !(value as boolean) && core.policy.get === null;
      break;
    case 'timeout':
      core.db.pragma(
        `busy_timeout = ${waitsForLockItself(core.settings) ? 0 : Math.min(Math.round((value as number) * 1000), 2 ** 31 - 1)}`,
      );
      break;
    case 'sqliteJournalMode':
      // WAL or not decides who waits for the write lock (open.ts waitsForLockItself).
      core.db.pragma(
        `busy_timeout = ${waitsForLockItself(core.settings) ? 0 : Math.min(Math.round(core.settings.timeout * 1000), 2 ** 31 - 1)}`,
      );
      return { value: settings[option], core: new Core(core.db, core.disk, core.settings, core.now, core.directory) };
  }
  const next = NEEDS_NEW_CORE.has(option)
    ? new Core(core.db, core.disk, core.settings, core.now, core.directory)
    : core;
  return { value: settings[option], core: next };
}

/** A value given in code, or a text with units ('64MiB', '500ms') as parseSetting reads it. */
function checked(spec: SettingSpec, value: unknown): unknown {
  return typeof value === 'string' && spec.unit !== 'enum' ? spec.parse(value) : spec.validate(value);
}

/** The value stored in the Settings table (the current one for settings that are not stored). */
function stored(core: Core, spec: SettingSpec): unknown {
  if (!spec.persisted) return core.settings[spec.option];
  let value: unknown;
  try {
    value = core.s.readSetting.get(spec.name);
  } catch (error) {
    throw core.mapError(error);
  }
  if (value === undefined) return core.settings[spec.option];
  try {
    return spec.validate(value);
  } catch (error) {
    throw new InvalidOptionError(
      spec.option,
      `value stored in cache.db is invalid (${(error as Error).message}); reset it with a value`,
    );
  }
}

/**
 * Runs the pragma unless it already holds the value (diskcache's rule too:
 * journal_mode wants an exclusive lock and waits for readers), then reads
 * back what SQLite uses — it caps mmap_size and may refuse a journal mode.
 */
function runPragma(core: Core, pragma: string, value: unknown): unknown {
  const read = () => core.db.pragma(pragma, { simple: true });
  const current = normalised(pragma, read());
  if (current !== value) {
    try {
      retryBusy(() => core.db.pragma(`${pragma} = ${String(value)}`), core.settings.timeout);
    } catch (error) {
      throw core.mapError(error);
    }
  }
  return normalised(pragma, read());
}

const SYNCHRONOUS: readonly Settings['sqliteSynchronous'][] = ['off', 'normal', 'full', 'extra'];

/** A pragma's answer in the setting's own terms (synchronous answers 0-3, journal_mode in any case). */
function normalised(pragma: string, answer: unknown): unknown {
  if (pragma === 'synchronous') return SYNCHRONOUS[Number(answer)];
  if (pragma === 'journal_mode') return String(answer).toLowerCase();
  return Number(answer);
}
