import Database from 'better-sqlite3';
import type { Durability } from './backend.js';

/**
 * What the two SQLite backends report about themselves, computed one way so
 * `sqlite` and `sqlite-raw` are always described alike.
 */

/**
 * What survives a power cut, by journal mode and synchronous level (SQLite
 * 3.53's pager, and what test/reliability/power-loss.test.ts checks):
 * - WAL: NORMAL writes each commit to the WAL without fsync and fsyncs at
 *   checkpoints; FULL/EXTRA fsync the WAL at every commit.
 * - A rollback journal commits by finishing the journal file, and a commit is
 *   durable only once that change is synced: `delete` unlinks the journal,
 *   and SQLite fsyncs the directory after the unlink only with EXTRA;
 *   `truncate` truncates it and fsyncs that with FULL/EXTRA; `persist` zeroes
 *   its header and fsyncs that at every level but OFF. Below those levels the
 *   last commits lie in the OS's buffers: a cut can bring a hot journal back,
 *   and SQLite rolls the acknowledged transaction back on the next open.
 *   (fsync-at-checkpoint does not hold either: the journal of the next
 *   transaction is synced before the directory holding the unlink.)
 * - synchronous OFF never fsyncs and leaves data to the OS.
 */
export function sqliteDurability(journalMode: string, synchronous: string): Durability {
  if (journalMode === 'memory' || journalMode === 'off') return 'unknown';
  if (synchronous === 'off') return 'os-buffered';
  if (journalMode === 'wal') return synchronous === 'normal' ? 'fsync-at-checkpoint' : 'fsync-per-write';
  const commitSyncedFrom = ROLLBACK_COMMIT_SYNCED_FROM[journalMode];
  if (commitSyncedFrom === undefined) return 'unknown';
  return SYNCHRONOUS_LEVELS.indexOf(synchronous) >= SYNCHRONOUS_LEVELS.indexOf(commitSyncedFrom)
    ? 'fsync-per-write'
    : 'os-buffered';
}

const SYNCHRONOUS_LEVELS = ['off', 'normal', 'full', 'extra'];

/** The lowest synchronous level at which a rollback journal's commit (finishing the journal) is fsynced. */
const ROLLBACK_COMMIT_SYNCED_FROM: Record<string, string | undefined> = {
  delete: 'extra',
  truncate: 'full',
  persist: 'normal',
};

let version: string | undefined;
/** The SQLite library version better-sqlite3 is built with, e.g. `3.53.0`. */
export function sqliteVersion(): string {
  if (version === undefined) {
    const probe = new Database(':memory:');
    version = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    probe.close();
  }
  return version;
}
