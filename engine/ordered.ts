import type { Statement } from 'better-sqlite3';
import type { Core } from './core.js';
import type { GetRow } from './statements.js';
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
  const next = core
    .prepare(
      // Plain `?`s, bound (key, key, kind): with numbered `?1 … ?1 … ?2` better-sqlite3 refused
      // two positional values ("Too many parameter values"), so every page after the first failed.
      `SELECT ${columns} FROM Cache WHERE key ${cmp} ? OR (key = ? AND kind ${cmp} ?) ORDER BY key ${order}, kind ${order} LIMIT ${PAGE}`,
    )
    .raw();
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

/** peekitem's entry form (either flag asked for): the item with its expiry and tag, as get's entry form. */
export interface PeekedEntry extends PeekedItem {
  /** Absolute expiry in seconds on the cache clock, or null. */
  expireTime: number | null;
  tag: string | null;
}

/** Flags of peekitem, as diskcache's `expire_time` and `tag`: either one returns the entry form. */
export interface PeekOptions {
  expireTime?: boolean;
  tag?: boolean;
}

/**
 * Live keys in rowid (insertion) order from the newest back, as diskcache's
 * `reversed(cache)`, read in pages. Only rows present when it starts are
 * visited (the bound is the largest rowid then), so keys stored while
 * iterating do not appear — diskcache's rule too. Expired rows are skipped,
 * as keys() skips them.
 */
export function reversedKeys(core: Core): IterableIterator<Key> {
  const top = core.prepare('SELECT MAX(rowid) FROM Cache').pluck();
  const page = core
    .prepare(`SELECT rowid, key, kind, expire_time FROM Cache WHERE rowid < ? ORDER BY rowid DESC LIMIT ${PAGE}`)
    .raw();
  let max: number | null;
  try {
    max = top.get() as number | null;
  } catch (error) {
    throw core.mapError(error);
  }
  return reversedPages(core, page, max === null ? 0 : max + 1);
}

function* reversedPages(core: Core, page: Statement, bound: number): IterableIterator<Key> {
  for (let below = bound; below > 0;) {
    let rows: [number, SqlValue, number, number | null][];
    try {
      rows = page.all(below) as typeof rows;
    } catch (error) {
      throw core.mapError(error);
    }
    const now = core.now();
    for (const [rowid, key, kind, expire] of rows) {
      below = rowid;
      if (expire === null || expire > now) yield core.disk.decodeKey(key, kind);
    }
    if (rows.length < PAGE) return;
  }
}

/**
 * The first or last live item in insertion (rowid) order, or undefined when
 * the cache is empty; expired rows met on the way are removed, as diskcache does.
 * With `entry`, the item comes with its expiry time and tag.
 */
export function peekItem(core: Core, last: boolean, entry = false): PeekedItem | PeekedEntry | undefined {
  const order = last ? 'DESC' : 'ASC';
  const select = core
    .prepare(
      `SELECT rowid, expire_time, mode, filename, value, tag, key, kind FROM Cache ORDER BY rowid ${order} LIMIT 1`,
    )
    .raw();
  for (;;) {
    const found = core.write((): PeekedItem | PeekedEntry | undefined | typeof MISS => {
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
      const key = core.disk.decodeKey(row[6], row[7]);
      return entry ? { key, value: value as Value, expireTime: row[1], tag: row[5] } : { key, value: value as Value };
    });
    if (found !== MISS) return found;
  }
}
