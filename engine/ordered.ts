import type { Statement } from 'better-sqlite3';
import type { Core, GetRow } from './core.js';
import type { Key, SqlValue, Value } from './disk.js';
import { decodeRow, MISS } from './store.js';

/**
 * Ordered access used by the persistent collections (Deque, Index), as
 * diskcache's Cache.iterkeys and Cache.peekitem.
 */

const PAGE = 100;

/**
 * Live keys in the database's key order (SQLite's: numbers, then text, then
 * bytes; ties by kind), forwards or backwards, read in pages so callers may
 * change the cache while iterating.
 */
export function sortedKeys(core: Core, reverse = false): IterableIterator<Key> {
  const [cmp, order] = reverse ? ['<', 'DESC'] : ['>', 'ASC'];
  const columns = 'key, kind, expire_time';
  // Prepared at the call, not at the first next(): iterkeys() on a closed cache throws there and then.
  const first = core.prepare(`SELECT ${columns} FROM Cache ORDER BY key ${order}, kind ${order} LIMIT ${PAGE}`).raw();
  const next = core.prepare(
    // Plain `?`s, bound (key, key, kind): with numbered `?1 … ?1 … ?2` better-sqlite3 refused
    // two positional values ("Too many parameter values"), so every page after the first failed.
    `SELECT ${columns} FROM Cache WHERE key ${cmp} ? OR (key = ? AND kind ${cmp} ?) ORDER BY key ${order}, kind ${order} LIMIT ${PAGE}`,
  ).raw();
  return sortedPages(core, first, next);
}

function* sortedPages(core: Core, first: Statement, next: Statement): IterableIterator<Key> {
  let last: [SqlValue, number] | undefined;
  for (;;) {
    let rows: [SqlValue, number, number | null][];
    try {
      rows = (last === undefined ? first.all() : next.all(last[0], last[0], last[1])) as typeof rows;
    } catch (error) {
      throw core.mapError(error);
    }
    const now = core.now();
    for (const [key, kind, expire] of rows) {
      last = [key, kind];
      if (expire === null || expire > now) yield core.disk.decodeKey(key, kind);
    }
    if (rows.length < PAGE) return;
  }
}

export interface PeekedItem {
  key: Key;
  value: Value;
}

/**
 * The first or last live item in insertion (rowid) order, or undefined when
 * the cache is empty; expired rows met on the way are removed, as diskcache does.
 */
export function peekItem(core: Core, last: boolean): PeekedItem | undefined {
  const order = last ? 'DESC' : 'ASC';
  const select = core.prepare(`SELECT rowid, expire_time, mode, filename, value, tag, key, kind FROM Cache ORDER BY rowid ${order} LIMIT 1`).raw();
  for (;;) {
    const found = core.write((): PeekedItem | undefined | typeof MISS => {
      const row = select.get() as [...GetRow, SqlValue, number] | undefined;
      if (row === undefined) return undefined;
      const expired = row[1] !== null && row[1] <= core.now();
      const value = expired ? MISS : decodeRow(core, row as unknown as GetRow, false);
      if (value === MISS) {
        // Expired, or its spill file is gone (damage check() reports): drop it and look again.
        core.s.deleteRow.run(row[0]);
        if (row[3] !== null) core.dropped.push(row[3]);
        return MISS;
      }
      return { key: core.disk.decodeKey(row[6], row[7]), value: value as Value };
    });
    if (found !== MISS) return found;
  }
}
