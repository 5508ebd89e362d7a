import BetterSqlite3, { type Database } from 'better-sqlite3';
import { accessSync, closeSync, constants, fchmodSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CacheDirectoryError, CacheTimeoutError, CorruptCacheError, InvalidOptionError } from './errors.js';
import type { CheckedOptions } from './options.js';
import { claimDatabase, SCHEMA, settingIndexes, upgradeSchema } from './schema.js';
import { DEFAULT_SETTINGS, SETTINGS, SETTING_NAMES, type SettingSpec, type Settings } from './settings.js';
import { isBusy, mapSqliteError, retryBusy } from './sqlite-errors.js';
import { mapFsError } from './fs-errors.js';
import { LAYOUT_FILE } from './fanout-layout.js';
import { makeDirectory } from './modes.js';

export const DB_FILE = 'cache.db';
/**
 * Seconds opening waits by default for other processes creating or opening
 * cache.db, whatever the operation timeout: with a 1 ms `timeout`, processes
 * started together would otherwise fail in `new Cache` (python-diskcache
 * retries for 60 s while opening). FanoutCache uses the same constant.
 */
export const OPEN_TIMEOUT = 60;
const AUTO_VACUUM_MODES = ['none', 'full', 'incremental'] as const;
const SQLITE_HEADER = 'SQLite format 3\0';

export interface Opened {
  db: Database;
  settings: Settings;
}

function ignoreCode(fn: () => void, code: string): void {
  try {
    fn();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== code) throw error;
  }
}

/** Creates the directory (owner-only by default) and checks it is a writable directory. */
export function ensureDirectory(directory: string, dirMode: number): void {
  // Checked first: mkdir of a path that is a file reports a misleading EEXIST.
  let existing: ReturnType<typeof statSync>;
  try {
    existing = statSync(directory, { throwIfNoEntry: false });
  } catch {
    existing = undefined; // ENOTDIR (a parent is a file), EACCES…: mkdir below names the problem
  }
  if (existing !== undefined && !existing.isDirectory()) {
    throw new CacheDirectoryError(
      directory,
      'exists and is not a directory (a regular file?); choose a directory path',
    );
  }
  if (existing === undefined) {
    try {
      makeDirectory(directory, dirMode);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new CacheDirectoryError(
        directory,
        `cannot create it (${code}); is a parent a regular file or read-only?`,
        error,
      );
    }
  }
  try {
    accessSync(directory, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new CacheDirectoryError(
      directory,
      'is not writable by this user; fix its permissions or choose another',
      error,
    );
  }
}

/**
 * A FanoutCache keeps its entries in shard folders under fanout.json; a Cache
 * opened on its directory would silently start an empty cache.db beside them.
 * Checked before anything is created.
 */
function refuseFanoutDirectory(directory: string): void {
  let layout: ReturnType<typeof statSync>;
  try {
    layout = statSync(join(directory, LAYOUT_FILE), { throwIfNoEntry: false });
  } catch {
    return; // ENOTDIR, EACCES…: ensureDirectory names what is wrong with the directory
  }
  if (layout !== undefined) {
    throw new CacheDirectoryError(
      directory,
      `holds a FanoutCache (${LAYOUT_FILE}); open it with new FanoutCache(dir), or give the Cache another directory — nothing was created`,
    );
  }
}

/** Refuses a cache.db that is not a regular file, or a non-empty one that is not SQLite, before SQLite could touch it. */
function checkHeader(file: string): void {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return; // missing: a new cache
    if (code !== 'EACCES' && code !== 'EPERM') throw mapFsError(error, file, dirname(file), `read ${DB_FILE}`); // EIO: CacheIOError
    throw new CacheDirectoryError(
      dirname(file),
      `cannot read ${DB_FILE} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check its permissions`,
      error,
    );
  }
  try {
    // A directory named cache.db opens fine on Linux and then fails reads with a raw EISDIR.
    if (!fstatOf(fd, file).isFile())
      throw new CorruptCacheError(
        file,
        'is not a regular file (a directory or device?); cache.db must be a SQLite database file',
      );
    const header = Buffer.alloc(16);
    let read: number;
    try {
      read = readSync(fd, header, 0, 16, 0);
    } catch (error) {
      throw mapFsError(error, file, dirname(file), `read ${DB_FILE}`); // EIO from a failing disk: CacheIOError
    }
    if (read > 0 && header.toString('latin1', 0, read) !== SQLITE_HEADER.slice(0, read)) {
      throw new CorruptCacheError(file, 'is not a SQLite database');
    }
  } finally {
    closeSync(fd);
  }
}

function fstatOf(fd: number, file: string): ReturnType<typeof fstatSync> {
  try {
    return fstatSync(fd);
  } catch (error) {
    throw mapFsError(error, file, dirname(file), `read ${DB_FILE}`);
  }
}

/**
 * Opens (or creates) cache.db: schema and settings in one BEGIN IMMEDIATE
 * transaction, then the journal mode, then the per-connection pragmas.
 * Explicit options override the stored settings and are stored in their place.
 */
export function openDatabase(directory: string, checked: CheckedOptions): Opened {
  const explicit = checked.explicit;
  const timeout = explicit.timeout ?? DEFAULT_SETTINGS.timeout;
  // A user's openTimeout is respected as is; by default a short operation timeout does not shorten opening.
  const openTimeout = checked.openTimeout ?? Math.max(timeout, OPEN_TIMEOUT);
  refuseFanoutDirectory(directory);
  ensureDirectory(directory, explicit.dirMode ?? DEFAULT_SETTINGS.dirMode);
  const file = join(directory, DB_FILE);
  checkHeader(file);
  let db: Database;
  let empty: boolean;
  try {
    // Create the file ourselves so it gets the configured mode whatever the umask
    // (chmod: open's mode is masked); SQLite gives -wal/-shm the mode of cache.db.
    const fileMode = explicit.fileMode ?? DEFAULT_SETTINGS.fileMode;
    const fd = openSync(file, 'a', fileMode);
    try {
      // New (or still empty): ours to set. Another user's empty file (EPERM) keeps its mode.
      empty = fstatSync(fd).size === 0;
      if (empty) ignoreCode(() => fchmodSync(fd, fileMode), 'EPERM');
    } finally {
      closeSync(fd);
    }
    db = new BetterSqlite3(file, { timeout: busyMs(openTimeout) });
  } catch (error) {
    throw openError(error, file, openTimeout);
  }
  try {
    const settings = initialise(db, file, empty, checked, openTimeout);
    // Opening waited with SQLite's busy handler (openTimeout); from now on a
    // WAL connection waits for the write lock in Core.lockWait instead.
    db.pragma(`busy_timeout = ${waitsForLockItself(settings) ? 0 : busyMs(timeout)}`);
    return { db, settings };
  } catch (error) {
    db.close();
    throw openError(error, file, openTimeout);
  }
}

/**
 * With lockWait 'poll' or 'bounded' under WAL, the connection's busy_timeout is 0 once open
 * and Core waits for the write lock itself (Core.lockWait: pauses from 25 µs
 * doubling to 0.5 ms, where SQLite's busy handler sleeps 1 ms, 2, 5, 10 …).
 * Only taking the write lock can meet SQLITE_BUSY there: WAL readers never
 * wait for a writer (SQLite retries its WAL read locks itself). The exception
 * is SQLITE_BUSY_RECOVERY, a read while another connection rebuilds a WAL
 * index damaged by a crash mid-commit: rare, and under 'poll' it surfaces at
 * once as CacheTimeoutError. Not the default: measured in the CI gate's talk
 * mix (2 processes), polling cut the set p99 but raised the set median ~25%
 * and the get p99 (the waiting process keeps waking on a busy CPU), while
 * FanoutCache's set p99 at 2 processes fell to ~0.3× Cache's (docs/engine.md,
 * "Lock waits"). Other journal modes always keep SQLite's busy handler, since
 * their readers and COMMIT wait on locks too.
 */
export function waitsForLockItself(settings: Pick<Settings, 'sqliteJournalMode' | 'lockWait'>): boolean {
  return settings.lockWait !== 'sqlite' && settings.sqliteJournalMode === 'wal';
}

/**
 * A busy database while opening names openTimeout: that is what was waited
 * for, not timeout. The file calls before SQLite's (creating cache.db with its
 * mode) fail with fs errors: EIO is CacheIOError, a full disk CacheDirectoryError.
 */
function openError(error: unknown, file: string, openTimeout: number): unknown {
  if (isBusy(error)) return new CacheTimeoutError(openTimeout, error, 'openTimeout');
  return mapFsError(mapSqliteError(error, file, openTimeout), file, dirname(file), `create ${DB_FILE}`);
}

function busyMs(seconds: number): number {
  return Math.min(Math.round(seconds * 1000), 2 ** 31 - 1);
}

function initialise(db: Database, file: string, empty: boolean, checked: CheckedOptions, timeout: number): Settings {
  const explicit = checked.explicit;
  // Creation-time pragmas: they only take effect on an empty database.
  // Both only take effect outside a transaction. Set on an empty file only: on another program's
  // database even a full↔incremental auto_vacuum switch would be a write.
  if (empty) {
    db.pragma(`page_size = ${explicit.sqlitePageSize ?? DEFAULT_SETTINGS.sqlitePageSize}`);
    db.pragma(`auto_vacuum = ${explicit.sqliteAutoVacuum ?? DEFAULT_SETTINGS.sqliteAutoVacuum}`);
  }

  const settings = retryBusy(() => {
    db.exec('BEGIN IMMEDIATE');
    try {
      claimDatabase(db, file);
      for (const statement of SCHEMA) db.exec(statement);
      upgradeSchema(db);
      // Fixed once the database exists: store what is in force, not what was asked for.
      const resolved = resolveSettings(db, explicit, {
        sqlitePageSize: Number(db.pragma('page_size', { simple: true })),
        sqliteAutoVacuum: AUTO_VACUUM_MODES[Number(db.pragma('auto_vacuum', { simple: true }))],
      });
      settingIndexes(db, resolved);
      db.exec('COMMIT');
      return resolved;
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }, timeout);

  // The journal-mode switch needs an exclusive lock and SQLite may refuse it
  // without waiting while other processes open the same file: retry.
  retryBusy(() => {
    const current = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
    if (current !== settings.sqliteJournalMode) db.pragma(`journal_mode = ${settings.sqliteJournalMode}`);
  }, timeout);
  db.pragma(`synchronous = ${settings.sqliteSynchronous}`);
  db.pragma(`cache_size = ${settings.sqliteCacheSize}`);
  db.pragma(`mmap_size = ${settings.sqliteMmapSize}`);
  db.pragma(`wal_autocheckpoint = ${settings.sqliteWalAutocheckpoint}`);

  // Report what SQLite really uses: it caps mmap_size (SQLITE_MAX_MMAP_SIZE) and may refuse a journal mode.
  settings.sqliteMmapSize = Number(db.pragma('mmap_size', { simple: true }));
  settings.sqliteJournalMode = String(
    db.pragma('journal_mode', { simple: true }),
  ).toLowerCase() as Settings['sqliteJournalMode'];
  return settings;
}

/** Defaults < stored in cache.db < explicit options < what the database has in force; writes back what changed. */
function resolveSettings(db: Database, explicit: Partial<Settings>, inForce: Partial<Settings>): Settings {
  const stored = new Map<string, unknown>();
  for (const row of db.prepare('SELECT key, value FROM Settings').raw().all() as [string, unknown][]) {
    stored.set(row[0], row[1]);
  }
  const resolved = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
  const write = db.prepare('INSERT OR REPLACE INTO Settings (key, value) VALUES (?, ?)');
  for (const name of SETTING_NAMES) {
    const spec: SettingSpec = SETTINGS[name];
    const given = explicit[name];
    if (inForce[name] !== undefined) resolved[name] = inForce[name];
    else if (given !== undefined) resolved[name] = given;
    else if (spec.persisted && stored.has(spec.name)) resolved[name] = fromStore(spec, stored.get(spec.name));
    if (!spec.persisted) continue;
    const value = toStore(resolved[name]);
    if (stored.get(spec.name) !== value) write.run(spec.name, value);
  }
  return resolved as unknown as Settings;
}

function fromStore(spec: SettingSpec, value: unknown): unknown {
  try {
    return spec.validate(value);
  } catch (error) {
    throw new InvalidOptionError(
      spec.option,
      `value stored in cache.db is invalid (${(error as Error).message}); pass the option explicitly to overwrite it`,
    );
  }
}

function toStore(value: unknown): string | number {
  return typeof value === 'boolean' ? (value ? 1 : 0) : (value as string | number);
}
