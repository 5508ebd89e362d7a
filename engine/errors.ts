/**
 * Typed errors of the cache engine. Every error carries a stable `code` so the
 * CLI and callers can branch on it without parsing messages, and every message
 * names the key type, option, file or setting at fault and how to fix it.
 */
export class CacheError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A busy wait on the database lock lasted longer than the `timeout` option. */
export class CacheTimeoutError extends CacheError {
  /** `option` names the option that set the wait: `openTimeout` when opening gave up. */
  constructor(timeoutSeconds: number, cause?: unknown, option: 'timeout' | 'openTimeout' = 'timeout') {
    super(
      'CACHE_TIMEOUT',
      `database stayed locked for more than ${timeoutSeconds} s (the ${option} option); ` +
        `another process holds a long write transaction — raise ${option} or shorten that transaction`,
      { cause },
    );
  }
}

/** A key of a type the engine cannot store (objects, booleans, NaN, ...). */
export class InvalidKeyError extends CacheError {
  constructor(detail: string) {
    super('INVALID_KEY', `invalid key: ${detail}; keys must be string, number, bigint, Buffer or Uint8Array`);
  }
}

/** A value that would not round-trip as the same type (Date, Map, undefined, NaN inside JSON, ...). */
export class InvalidValueError extends CacheError {
  constructor(detail: string) {
    super('INVALID_VALUE', `invalid value: ${detail}`);
  }
}

/** An unknown option, a misspelt setting name, a bad unit or an out-of-range value. */
export class InvalidOptionError extends CacheError {
  readonly option: string;
  /** The problem without the option's name, for callers that name it in the user's own spelling. */
  readonly detail: string;
  constructor(option: string, detail: string) {
    super('INVALID_OPTION', `option ${option}: ${detail}`);
    this.option = option;
    this.detail = detail;
  }
}

/**
 * cache.db exists but is not a SQLite database (or is damaged), or a spill
 * file is damaged; nothing was overwritten. `remedy` replaces the advice for
 * a whole file when another fits the case (a damaged spill file is one entry:
 * check({ fix: true }) drops it).
 */
export class CorruptCacheError extends CacheError {
  readonly file: string;
  constructor(
    file: string,
    detail: string,
    cause?: unknown,
    remedy = 'it was left untouched — move it away or point the cache at another directory',
  ) {
    super('CORRUPT_CACHE', `${file} ${detail}; ${remedy}`, { cause });
    this.file = file;
  }
}

/** The cache directory cannot be created or written. */
export class CacheDirectoryError extends CacheError {
  readonly directory: string;
  constructor(directory: string, detail: string, cause?: unknown) {
    super('CACHE_DIRECTORY', `cache directory ${directory}: ${detail}`, { cause });
    this.directory = directory;
  }
}

/**
 * A file of the cache could not be read or written. From SQLite
 * (SQLITE_IOERR_*) about cache.db, or SQLITE_READONLY_DBMOVED when it was
 * moved or deleted under the open connection: what an open cache sees after
 * another process migrated a FanoutCache or removed the directory, or when
 * the disk fails; that connection cannot recover, a new one (a reopened
 * cache) reads whatever file is there now. Or from the file system (an errno
 * such as EIO) about cache.db's header, a spill file or its folder: the
 * operation failed and nothing it was writing was acknowledged.
 */
export class CacheIOError extends CacheError {
  readonly file: string;
  /** SQLite's extended code, e.g. SQLITE_IOERR_FSTAT, when SQLite reported the failure. */
  readonly sqliteCode: string | undefined;
  /** The file system's errno code, e.g. EIO, when a file call failed. */
  readonly errno: string | undefined;
  /** `code`: a SQLite extended code (`SQLITE_…`) or an errno code (`EIO`). */
  constructor(file: string, code: string, cause?: unknown) {
    const fromSqlite = code.startsWith('SQLITE_');
    const what =
      code === 'SQLITE_READONLY_DBMOVED'
        ? `was moved, replaced or deleted while this cache had it open (${code}) — close and reopen the cache (another process may have migrated a FanoutCache or removed the directory); if it happens again, check the disk`
        : fromSqlite
          ? `could not be read or written (SQLite I/O error ${code}); it may have been replaced or deleted while this cache had it open, or the disk failed — close and reopen the cache (another process may have migrated a FanoutCache or removed the directory); if it happens again, check the disk`
          : `could not be read or written (${code}): the disk or file system reported an error and this call failed, storing nothing — check the disk`;
    super('CACHE_IO', `${file} ${what} (free space, errors in the system log)`, { cause });
    this.file = file;
    this.sqliteCode = fromSqlite ? code : undefined;
    this.errno = fromSqlite ? undefined : code;
  }
}

/** incr/decr on a missing key with `default: null` (diskcache raises KeyError there). */
export class MissingKeyError extends CacheError {
  constructor(operation: string) {
    super('MISSING_KEY', `${operation}: key not found and default is null; pass a numeric default to create it`);
  }
}

/**
 * incr/decr whose answer a number cannot hold exactly (an integer past
 * ±(2^53 − 1), or a delta too small to change the value): the counter is
 * left as it was instead of losing the increment. Bigint counters are exact.
 */
export class CounterOverflowError extends CacheError {
  constructor(operation: string, detail: string) {
    super('COUNTER_OVERFLOW', `${operation}: ${detail}`);
  }
}

/** Use of a cache after close(), or transact() given an async function. */
export class CacheStateError extends CacheError {
  constructor(detail: string) {
    super('CACHE_STATE', detail);
  }
}

/** The error of any use of a closed cache. */
export function closedError(): CacheStateError {
  return new CacheStateError('the cache is closed; open a new Cache to use it again');
}

/**
 * A FanoutCache directory opened with a shard count (or key hash) other than
 * the one its entries were written with: keys would be looked up in the wrong
 * shards. Open with the stored count, or pass `migrate: true` to rehash.
 */
export class ShardLayoutError extends CacheError {
  readonly directory: string;
  constructor(directory: string, detail: string) {
    super('SHARD_LAYOUT', `fanout cache ${directory}: ${detail}`);
    this.directory = directory;
  }
}

/**
 * A recipe's acquire (Lock, RLock, BoundedSemaphore, or memoizeAsync waiting
 * for another process's computation) gave up after its `timeout`: another
 * holder kept it that long. Nothing was taken.
 */
export class LockTimeoutError extends CacheError {
  /** What was waited for, e.g. `Lock "report"`. */
  readonly lock: string;
  readonly timeoutSeconds: number;
  constructor(lock: string, timeoutSeconds: number) {
    super(
      'LOCK_TIMEOUT',
      `${lock} was still held after ${timeoutSeconds} s (the timeout option); ` +
        'another holder keeps it — raise timeout, or give the lock an expire so a crashed holder frees it',
    );
    this.lock = lock;
    this.timeoutSeconds = timeoutSeconds;
  }
}
