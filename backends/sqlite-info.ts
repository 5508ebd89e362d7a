import Database from 'better-sqlite3';
import type { Durability } from './backend.js';

/**
 * What the two SQLite backends report about themselves, computed one way so
 * `sqlite` and `sqlite-raw` are always described alike.
 */

/**
 * WAL + NORMAL writes each commit to the WAL without fsync and fsyncs at
 * checkpoints; FULL/EXTRA (or a rollback journal with NORMAL) fsync every
 * commit; synchronous OFF never fsyncs and leaves data to the OS.
 */
export function sqliteDurability(journalMode: string, synchronous: string): Durability {
  if (journalMode === 'memory' || journalMode === 'off') return 'unknown';
  if (synchronous === 'off') return 'os-buffered';
  if (journalMode === 'wal' && synchronous === 'normal') return 'fsync-at-checkpoint';
  return 'fsync-per-write';
}

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
