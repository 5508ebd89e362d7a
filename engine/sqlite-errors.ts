import {
  CacheDirectoryError,
  CacheError,
  CacheIOError,
  CacheTimeoutError,
  closedError,
  CorruptCacheError,
  InvalidValueError,
} from './errors.js';
import { linearPauses, withRetries } from './with-retries.js';

/** The `code` of a better-sqlite3 SqliteError, or undefined for anything else. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

export function isBusy(error: unknown): boolean {
  const code = sqliteCode(error);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Turns SQLite's errors into the engine's typed errors; leaves others as they are. */
export function mapSqliteError(error: unknown, file: string, timeout: number): unknown {
  if (error instanceof CacheError) return error;
  const code = sqliteCode(error);
  if (code === undefined) {
    if (error instanceof TypeError && /not open/.test(error.message)) {
      return closedError(); // a statement kept from before close(), e.g. by an iterator
    }
    // Keys are size-checked before binding (Disk.keyKind), so what is left is a value kept in the row.
    if (error instanceof RangeError && /too big/.test(error.message)) {
      return new InvalidValueError(
        "a value kept in the row is over SQLite's size limit; lower diskMinFileSize so it goes to a spill file",
      );
    }
    return error;
  }
  if (isBusy(error)) return new CacheTimeoutError(timeout, error);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new CorruptCacheError(file, 'is not a SQLite database or is damaged', error);
  }
  // Before the READONLY family below: a moved file is not a permission problem.
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_READONLY_DBMOVED') return new CacheIOError(file, code, error);
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_PERM' ||
    code === 'SQLITE_FULL'
  ) {
    return new CacheDirectoryError(file, `cannot write (${code}); check permissions and free space`, error);
  }
  return error;
}

/**
 * Runs `fn` again while SQLite reports busy/locked, up to `timeout` seconds.
 * Needed where SQLite does not call the busy handler (switching journal_mode,
 * WAL recovery) so many processes can open a fresh directory at once.
 */
export function retryBusy<T>(fn: () => T, timeout: number, onRetry?: () => void): T {
  return withRetries(fn, { retryable: isBusy, seconds: timeout, pauseMs: linearPauses(2, 50), onRetry });
}
