/** The order of a table's action rows, shared by the backend tables and the per-host tables. */

/** diskcache's rows, in its order (plot.py reads them at these positions); other actions follow by name. */
const DISKCACHE_ROWS: readonly string[] = ['get', 'set', 'delete'];

export function byDiskcacheOrder(a: string, b: string): number {
  const rank = (action: string): number =>
    DISKCACHE_ROWS.includes(action) ? DISKCACHE_ROWS.indexOf(action) : DISKCACHE_ROWS.length;
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
