import type { EvictionPolicyName } from './settings.js';

/**
 * Eviction policies as SQL snippets, keyed by policy name (as diskcache does):
 * `init` creates the index the policy orders by, `get` is the bookkeeping a
 * hit costs (none for least-recently-stored, so reads stay read-only), and
 * `cull` selects the rowids to remove first.
 */
export interface EvictionSpec {
  readonly init: string | null;
  /** Statement run on every hit; binds the current time first when `getBindsNow` (`access_time = ?`), then the rowid. */
  readonly get: string | null;
  readonly getBindsNow: boolean;
  /**
   * The same bookkeeping as SET assignments, joined to the UPDATE an
   * incr/decr makes (as diskcache's incr does), so a busy counter is as
   * "used" as a read key; binds the current time when `getBindsNow`.
   */
  readonly refresh: string | null;
  /** Selects rowids in the order they go, sparing the row just written (`?`) and pinned rows; a LIMIT is appended. */
  readonly cull: string | null;
  readonly index: string | null;
}

export const EVICTION_POLICY: Readonly<Record<EvictionPolicyName, EvictionSpec>> = {
  'least-recently-stored': {
    index: 'Cache_store_time',
    init: 'CREATE INDEX IF NOT EXISTS Cache_store_time ON Cache (store_time)',
    get: null,
    getBindsNow: false,
    refresh: null,
    cull: 'SELECT rowid FROM Cache WHERE rowid != ? AND pinned = 0 ORDER BY store_time',
  },
  'least-recently-used': {
    index: 'Cache_access_time',
    init: 'CREATE INDEX IF NOT EXISTS Cache_access_time ON Cache (access_time)',
    get: 'UPDATE Cache SET access_time = ? WHERE rowid = ?',
    getBindsNow: true,
    refresh: 'access_time = ?',
    cull: 'SELECT rowid FROM Cache WHERE rowid != ? AND pinned = 0 ORDER BY access_time',
  },
  'least-frequently-used': {
    index: 'Cache_access_count',
    init: 'CREATE INDEX IF NOT EXISTS Cache_access_count ON Cache (access_count)',
    get: 'UPDATE Cache SET access_count = access_count + 1 WHERE rowid = ?',
    getBindsNow: false,
    refresh: 'access_count = access_count + 1',
    cull: 'SELECT rowid FROM Cache WHERE rowid != ? AND pinned = 0 ORDER BY access_count',
  },
  none: { index: null, init: null, get: null, getBindsNow: false, refresh: null, cull: null },
};
