import type { Database } from 'better-sqlite3';
import { CorruptCacheError } from './errors.js';
import { EVICTION_POLICY } from './eviction.js';
import type { Settings } from './settings.js';

/**
 * Tables of cache.db. `key` has no type affinity so SQLite keeps each key's
 * storage class; `kind` keeps `1`, `1n`, `'1'` and bytes apart. Spilled
 * values have `filename` set and `value` NULL; `size` counts spill-file bytes
 * only (rows are counted through the page count, see volume()).
 */
export const SCHEMA: readonly string[] = [
  'CREATE TABLE IF NOT EXISTS Settings (key TEXT NOT NULL UNIQUE, value)',
  `CREATE TABLE IF NOT EXISTS Cache (
    rowid INTEGER PRIMARY KEY,
    key BLOB NOT NULL,
    kind INTEGER NOT NULL,
    store_time REAL,
    expire_time REAL,
    access_time REAL,
    access_count INTEGER DEFAULT 0,
    tag TEXT,
    size INTEGER DEFAULT 0,
    mode INTEGER DEFAULT 0,
    filename TEXT,
    value BLOB,
    pinned INTEGER NOT NULL DEFAULT 0)`,
  'CREATE UNIQUE INDEX IF NOT EXISTS Cache_key_kind ON Cache (key, kind)',
  // Partial: rows without expiry (the common case) cost the index nothing.
  'CREATE INDEX IF NOT EXISTS Cache_expire_time ON Cache (expire_time) WHERE expire_time IS NOT NULL',
  // Totals kept by triggers so length and volume() are O(1), as in diskcache.
  "INSERT OR IGNORE INTO Settings (key, value) VALUES ('count', 0), ('size', 0), ('hits', 0), ('misses', 0), ('evictions', 0)",
  `CREATE TRIGGER IF NOT EXISTS Cache_count_insert AFTER INSERT ON Cache
    BEGIN UPDATE Settings SET value = value + 1 WHERE key = 'count'; END`,
  `CREATE TRIGGER IF NOT EXISTS Cache_count_delete AFTER DELETE ON Cache
    BEGIN UPDATE Settings SET value = value - 1 WHERE key = 'count'; END`,
  `CREATE TRIGGER IF NOT EXISTS Cache_size_insert AFTER INSERT ON Cache WHEN NEW.size != 0
    BEGIN UPDATE Settings SET value = value + NEW.size WHERE key = 'size'; END`,
  `CREATE TRIGGER IF NOT EXISTS Cache_size_update AFTER UPDATE OF size ON Cache WHEN NEW.size != OLD.size
    BEGIN UPDATE Settings SET value = value + NEW.size - OLD.size WHERE key = 'size'; END`,
  `CREATE TRIGGER IF NOT EXISTS Cache_size_delete AFTER DELETE ON Cache WHEN OLD.size != 0
    BEGIN UPDATE Settings SET value = value - OLD.size WHERE key = 'size'; END`,
];

/** Indexes that depend on settings: the policy's index and the tag index; others dropped so they cost no writes. */
export function settingIndexes(db: Database, settings: Settings): void {
  for (const [name, spec] of Object.entries(EVICTION_POLICY)) {
    if (spec.index === null) continue;
    if (name === settings.evictionPolicy && spec.init !== null) db.exec(spec.init);
    else db.exec(`DROP INDEX IF EXISTS ${spec.index}`);
  }
  if (settings.tagIndex) db.exec('CREATE INDEX IF NOT EXISTS Cache_tag_rowid ON Cache (tag, rowid)');
  else db.exec('DROP INDEX IF EXISTS Cache_tag_rowid');
}

/**
 * Marks cache.db as ours: PRAGMA application_id (bytes 68-71 of the header,
 * 'CBch'), so another program's SQLite file — python-diskcache's cache.db has
 * a Cache table too, without our `kind` column — is refused by name instead of
 * failing later as a raw `no such column` SqliteError. user_version is the
 * schema version, for a future migration.
 */
export const APPLICATION_ID = 0x43426368;
export const SCHEMA_VERSION = 2;
const OUR_TABLES = ['Cache', 'Settings'];
const CACHE_COLUMNS = [
  'rowid',
  'key',
  'kind',
  'store_time',
  'expire_time',
  'access_time',
  'access_count',
  'tag',
  'size',
  'mode',
  'filename',
  'value',
];

/**
 * Inside the opening transaction, before any schema statement: a new (empty)
 * database or one with our tables but no marker (made before the marker
 * existed) is claimed; anything else throws CorruptCacheError and is left as it was.
 */
export function claimDatabase(db: Database, file: string): void {
  const id = Number(db.pragma('application_id', { simple: true }));
  if (id === APPLICATION_ID) return;
  if (id !== 0) {
    throw new CorruptCacheError(
      file,
      `is a SQLite database of another application (application_id 0x${(id >>> 0).toString(16)}), not a cachebench cache`,
    );
  }
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  if (tables.length > 0) {
    const columns = db.prepare("SELECT name FROM pragma_table_info('Cache')").pluck().all() as string[];
    const ours =
      OUR_TABLES.every((t) => tables.includes(t)) && CACHE_COLUMNS.every((c) => c === 'rowid' || columns.includes(c));
    if (!ours) {
      // diskcache's Cache table keys rows by (key, raw); ours by (key, kind).
      const what = columns.includes('raw')
        ? ' (it looks like a python-diskcache cache)'
        : ` (tables: ${tables.slice(0, 5).join(', ')})`;
      throw new CorruptCacheError(file, `is a SQLite database but not a cachebench cache${what}`);
    }
  }
  db.pragma(`application_id = ${APPLICATION_ID}`);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/**
 * Brings a database of an earlier schema up to SCHEMA_VERSION, inside the
 * opening transaction. Version 2 added `pinned` (rows the eviction policy
 * never culls); existing rows are unpinned. The columns are looked at, not
 * only user_version: claimDatabase stamps the version on an unmarked database
 * before this runs.
 */
export function upgradeSchema(db: Database): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('Cache')").pluck().all() as string[];
  if (!columns.includes('pinned')) db.exec('ALTER TABLE Cache ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0');
  if (Number(db.pragma('user_version', { simple: true })) < SCHEMA_VERSION)
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
