import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheDirectoryError, CacheIOError, InvalidValueError } from '../../engine/index.js';
import { mapFsError } from '../../engine/fs-errors.js';
import { mapSqliteError } from '../../engine/sqlite-errors.js';
import { openCache, tempDir } from './helpers.js';

/** What `fn` throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, nothing was thrown');
}

describe('SQLite I/O errors', () => {
  it('cache.db deleted under an open cache (SQLITE_READONLY_DBMOVED) → CacheIOError naming the file and the fix; a reopened cache works', () => {
    const dir = tempDir();
    const file = join(dir, 'cache.db');
    // Rollback-journal mode: SQLite checks on each write that the file it has open is still at its path.
    const cache = openCache({ sqliteJournalMode: 'delete' }, dir);
    cache.set('a', 1);
    rmSync(file); // as another process removing the directory (or a FanoutCache migration its old shards) would
    const error = thrown(() => cache.set('b', 2));
    expect(error).toBeInstanceOf(CacheIOError);
    expect((error as CacheIOError).file).toBe(file);
    expect((error as CacheIOError).sqliteCode).toBe('SQLITE_READONLY_DBMOVED');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/close and reopen the cache/);
    expect((error as Error).cause).toBeInstanceOf(Database.SqliteError);
    cache.close();
    const reopened = openCache({}, dir);
    expect(reopened.set('b', 2)).toBe(true);
    expect(reopened.get('b')).toBe(2);
  });

  it('every SQLITE_IOERR_* code maps to CacheIOError, saying to reopen and check the disk', () => {
    for (const code of [
      'SQLITE_IOERR',
      'SQLITE_IOERR_FSTAT',
      'SQLITE_IOERR_READ',
      'SQLITE_IOERR_WRITE',
      'SQLITE_IOERR_SHMSIZE',
    ]) {
      const mapped = mapSqliteError(new Database.SqliteError('disk I/O error', code), '/c/cache.db', 1);
      expect(mapped, code).toBeInstanceOf(CacheIOError);
      expect((mapped as CacheIOError).code).toBe('CACHE_IO');
      expect((mapped as CacheIOError).sqliteCode).toBe(code);
      expect((mapped as Error).message).toMatch(
        new RegExp(`^/c/cache.db could not be read or written \\(SQLite I/O error ${code}\\)`),
      );
      expect((mapped as Error).message).toMatch(/close and reopen the cache.*check the disk/);
    }
    // The rest of the READONLY family is still a permission problem, not an I/O one.
    expect(
      mapSqliteError(new Database.SqliteError('readonly', 'SQLITE_READONLY'), '/c/cache.db', 1),
    ).not.toBeInstanceOf(CacheIOError);
  });

  it('a failed file call (EIO) maps to CacheIOError with the errno; a full or unwritable disk to CacheDirectoryError; other errors pass', () => {
    const eio = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO', errno: -5, syscall: 'read' });
    const mapped = mapFsError(eio, '/c/ab/cd/x.val', '/c', 'read spill file /c/ab/cd/x.val');
    expect(mapped).toBeInstanceOf(CacheIOError);
    expect(mapped).toMatchObject({
      code: 'CACHE_IO',
      file: '/c/ab/cd/x.val',
      errno: 'EIO',
      sqliteCode: undefined,
      cause: eio,
    });
    expect((mapped as Error).message).toMatch(
      /^\/c\/ab\/cd\/x.val could not be read or written \(EIO\).*check the disk/,
    );
    const full = Object.assign(new Error('ENOSPC'), { code: 'ENOSPC', syscall: 'write' });
    expect(mapFsError(full, '/c/x', '/c', 'write spill file /c/x')).toBeInstanceOf(CacheDirectoryError);
    const typed = new InvalidValueError('x');
    expect(mapFsError(typed, '/c/x', '/c')).toBe(typed);
    const plain = Object.assign(new Error('not from fs'), { code: 'EIO' }); // no syscall: not a file call's error
    expect(mapFsError(plain, '/c/x', '/c')).toBe(plain);
  });
});
