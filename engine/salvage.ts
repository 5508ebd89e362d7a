import { copyFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Core } from './core.js';
import { CorruptCacheError } from './errors.js';
import { SCHEMA, settingIndexes } from './schema.js';

/** Every column of a Cache row, rowid first, in the order the rows are copied. */
const COLUMNS =
  'rowid, key, kind, store_time, expire_time, access_time, access_count, tag, size, mode, filename, value, pinned';
/** Beyond every rowid SQLite hands out to our inserts (they count up from 1). */
const TOP = Number.MAX_SAFE_INTEGER;

/** True when SQLite (or the engine's mapping of it) says the database is damaged. */
export function isCorruption(core: Core, error: unknown): boolean {
  return core.mapError(error) instanceof CorruptCacheError;
}

/**
 * Salvages a cache.db whose Cache table has damaged pages, in place, for
 * check({ fix: true }): copies cache.db (and its -wal) aside first, then
 * 1. reads every row it can in rowid order; where a read fails it finds, by
 *    bisection on `rowid > b` seeks, the first rowid past the damage and
 *    goes on from there — the rowids in between are the rows lost;
 * 2. removes the damaged table, its indexes and triggers from the schema
 *    (PRAGMA writable_schema: DROP TABLE would have to read the damaged
 *    pages to free them) and VACUUMs, which rebuilds the file from what is
 *    still reachable;
 * 3. recreates the schema and inserts the salvaged rows with their rowids.
 * The file keeps its inode, so other processes' connections stay valid,
 * though between steps 2 and 3 they find no Cache table: run it while the
 * cache is idle. Spill files of lost rows become orphans that the rest of
 * check({ fix: true }) removes. Returns the warnings saying what happened.
 */
export function salvage(core: Core): string[] {
  const db = core.db;
  const backup = `${core.file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  copyFileSync(core.file, backup);
  if (existsSync(`${core.file}-wal`)) copyFileSync(`${core.file}-wal`, `${backup}-wal`);

  let expected: number | undefined;
  let saved: number;
  let lost: [first: number, last: number][];
  db.unsafeMode(true); // inserting while a scan is open, and writable_schema, need it
  try {
    // Read outside any explicit transaction: once SQLite meets a damaged page inside one, its
    // COMMIT and every later write in it fail as well.
    expected = readCount(core);
    db.exec(
      `DROP TABLE IF EXISTS temp.salvage; CREATE TEMP TABLE salvage AS SELECT ${COLUMNS} FROM main.Cache WHERE 0`,
    );
    ({ saved, lost } = copyReadable(core));
    core.write(() => {
      const version = Number(db.pragma('schema_version', { simple: true }));
      db.pragma('writable_schema = ON');
      try {
        db.exec("DELETE FROM main.sqlite_master WHERE tbl_name = 'Cache'");
        db.pragma(`schema_version = ${version + 1}`); // other connections reload the schema
      } finally {
        db.pragma('writable_schema = OFF');
      }
    });
  } finally {
    db.unsafeMode(false);
  }
  // The orphaned pages of the removed table go; VACUUM cannot run inside a transaction. Should it
  // fail, the rows (held only in this connection's temp table now) are put back all the same.
  let vacuumed: string | undefined;
  try {
    core.lockWait(() => db.exec('VACUUM'));
  } catch (error) {
    vacuumed = `VACUUM failed (${(core.mapError(error) as Error).message}): the damaged pages stay unused in the file until check({ fix: true }) runs again`;
  }
  core.write(() => {
    db.exec("UPDATE Settings SET value = 0 WHERE key IN ('count', 'size')"); // the insert triggers count them again
    for (const statement of SCHEMA) db.exec(statement);
    settingIndexes(db, core.settings);
    db.exec(
      `INSERT INTO main.Cache (${COLUMNS}) SELECT ${COLUMNS} FROM temp.salvage ORDER BY rowid; DROP TABLE temp.salvage`,
    );
  });

  const gaps = lost
    .map(([first, end]) =>
      end >= TOP ? `rowids from ${first}` : first === end ? `rowid ${first}` : `rowids ${first}–${end}`,
    )
    .join(', ');
  const missing = expected === undefined ? 'an unknown number of' : `${Math.max(expected - saved, 0)}`;
  return [
    ...(vacuumed === undefined ? [] : [vacuumed]),
    `salvaged ${saved} readable rows into a rebuilt cache.db; ${missing} rows were unreadable and are lost` +
      `${gaps === '' ? '' : ` (${gaps})`}; the damaged file is kept as ${basename(backup)}`,
  ];
}

/** The row count the Settings table recorded, if it can still be read. */
function readCount(core: Core): number | undefined {
  try {
    return core.s.readSetting.get('count') as number;
  } catch {
    return undefined;
  }
}

/**
 * Copies every readable row into temp.salvage, stepping over damaged pages;
 * returns how many rows it copied and the rowid ranges it could not read
 * (first, last; last TOP when the damage runs to the end of the table).
 */
function copyReadable(core: Core): { saved: number; lost: [number, number][] } {
  const scan = core.db.prepare(`SELECT ${COLUMNS} FROM main.Cache WHERE rowid > ? ORDER BY rowid`).raw();
  const insert = core.db.prepare(
    `INSERT INTO temp.salvage (${COLUMNS}) VALUES (${COLUMNS.split(',')
      .map(() => '?')
      .join(', ')})`,
  );
  const seek = core.db.prepare('SELECT rowid FROM main.Cache WHERE rowid > ? ORDER BY rowid LIMIT 1').pluck();
  const readable = (bound: number): boolean => {
    try {
      seek.get(bound);
      return true;
    } catch (error) {
      if (isCorruption(core, error)) return false;
      throw error;
    }
  };
  const lost: [number, number][] = [];
  let saved = 0;
  let last = -TOP;
  let gapAfter: number | undefined; // the last rowid read before unreadable pages
  for (;;) {
    try {
      for (const row of scan.iterate(last) as IterableIterator<unknown[]>) {
        const rowid = row[0] as number;
        if (gapAfter !== undefined) lost.push([gapAfter + 1, rowid - 1]);
        gapAfter = undefined;
        insert.run(...row);
        saved++;
        last = rowid;
      }
      if (gapAfter !== undefined) lost.push([gapAfter + 1, TOP]);
      return { saved, lost };
    } catch (error) {
      if (!isCorruption(core, error)) throw error;
    }
    gapAfter ??= last;
    // Doubling steps find a seek bound past the damage, bisection the first such bound.
    let failing = last;
    let step = 1;
    while (!readable(failing + step)) {
      failing += step;
      step *= 2;
      if (failing + step >= TOP) {
        lost.push([gapAfter + 1, TOP]);
        return { saved, lost };
      }
    }
    let working = failing + step;
    while (working - failing > 1) {
      const middle = failing + Math.floor((working - failing) / 2);
      if (readable(middle)) working = middle;
      else failing = middle;
    }
    last = working;
  }
}
