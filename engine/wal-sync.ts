import { closeSync, fsyncSync, openSync } from 'node:fs';
import type { Settings } from './settings.js';

/**
 * With WAL and synchronous=normal a commit reaches the WAL without an fsync
 * (durable at the next checkpoint), while removing a dropped spill file is a
 * directory change the file system may commit first. After a power cut the
 * replaced row could then come back pointing at a deleted file. So, in that
 * mode, a commit that drops spill files fsyncs the WAL before removing them.
 * Other modes need nothing: WAL with full/extra fsyncs every commit; a
 * rollback journal's commit is synced before the removal wherever its
 * durability label promises anything (backends/sqlite-info.ts), and
 * synchronous=off promises nothing after a power cut.
 */
export function commitNeedsSyncBeforeDrop(
  settings: Pick<Settings, 'sqliteJournalMode' | 'sqliteSynchronous'>,
): boolean {
  return settings.sqliteJournalMode === 'wal' && settings.sqliteSynchronous === 'normal';
}

/**
 * fsyncs cache.db's WAL (`<file>-wal`) through a descriptor of our own: the
 * frames the last commit wrote are then on disk. SQLite keeps no POSIX locks
 * on the WAL file (its WAL locks live in -shm), so opening and closing it here
 * cannot drop a lock of this process's connections. False when it failed
 * (EIO, a WAL already gone): the caller then keeps the dropped files, which
 * check({ fix: true }) removes as orphans later.
 */
export function syncWal(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(`${file}-wal`, 'r');
  } catch {
    return false;
  }
  try {
    fsyncSync(fd);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
