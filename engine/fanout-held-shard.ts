import BetterSqlite3, { type Database } from 'better-sqlite3';
import { join } from 'node:path';
import type { SqlValue } from './disk.js';
import { DB_FILE } from './open.js';
import { mapSqliteError } from './sqlite-errors.js';

/** A row of an old shard as the migration copies it. */
export type ShardRow = [
  key: SqlValue,
  kind: number,
  expireTime: number | null,
  tag: string | null,
  mode: number,
  filename: string | null,
  value: SqlValue,
];

/**
 * application_id of a shard a migration has left: not ours (schema.ts
 * APPLICATION_ID, 'CBch'), so opening the folder as a Cache is refused with
 * CorruptCacheError instead of quietly creating an empty shard there. 'CBmv'.
 */
const RETIRED_APPLICATION_ID = 0x43426d76;

/**
 * One old shard during a migration, held in a BEGIN IMMEDIATE transaction on
 * a connection of its own from before it is copied until after the switch.
 * Writers of other processes wait for this lock (and give up with the usual
 * timeout) instead of writing into a shard whose copy is already taken.
 *
 * retire() renames the tables and changes application_id inside that same
 * transaction; it is committed only after fanout.json points at the new
 * generation. Every statement of a process still on the old layout then fails
 * ("no such table"), which FanoutCache turns into ShardLayoutError, and no
 * open can recreate the shard. Should the migrating process die before the
 * commit, SQLite rolls the transaction back and the old shard is untouched.
 */
export class HeldShard {
  private readonly db: Database;
  private readonly file: string;

  constructor(
    folder: string,
    private readonly waitSeconds: number,
  ) {
    this.file = join(folder, DB_FILE);
    let db: Database | undefined;
    try {
      db = new BetterSqlite3(this.file, {
        fileMustExist: true,
        timeout: Math.min(Math.round(waitSeconds * 1000), 2 ** 31 - 1),
      });
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      db?.close();
      throw mapSqliteError(error, this.file, waitSeconds);
    }
    this.db = db;
  }

  /** Every row in insertion order, read inside the held transaction (so it is everything any writer committed). */
  rows(): IterableIterator<ShardRow> {
    return this.db
      .prepare('SELECT key, kind, expire_time, tag, mode, filename, value FROM Cache ORDER BY rowid')
      .raw()
      .iterate() as IterableIterator<ShardRow>;
  }

  /** Renames the tables away and marks the file as no longer a cache; not committed yet. */
  retire(): void {
    this.run(() => {
      // A rename costs no page writes, unlike DROP TABLE of a large shard that is removed anyway.
      this.db.exec('ALTER TABLE Cache RENAME TO Cache_retired; ALTER TABLE Settings RENAME TO Settings_retired');
      this.db.pragma(`application_id = ${RETIRED_APPLICATION_ID}`);
    });
  }

  commit(): void {
    this.run(() => this.db.exec('COMMIT'));
  }

  /** Closes the connection; an uncommitted transaction (a failed migration) is rolled back. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private run(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      throw mapSqliteError(error, this.file, this.waitSeconds);
    }
  }
}
