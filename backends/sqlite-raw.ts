import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_SETTINGS } from '../engine/settings.js';
import type {
  Backend,
  BackendDescription,
  BackendFactory,
  BackendOptions,
  BackendSpec,
  Capability,
  Value,
} from './backend.js';
import { BackendTimeoutError } from './backend.js';
import { sqliteDurability, sqliteVersion } from './sqlite-info.js';
import { checkExpire, choiceOption, integerOption, rejectUnknownOptions, sizeOption } from './options.js';
import { describeBackend } from './describe-backend.js';

/**
 * A bare better-sqlite3 table with prepared statements and the engine's default
 * pragmas: the floor under the `sqlite` engine. Whatever the engine costs above
 * this is its own bookkeeping (eviction, statistics, serialisation).
 *
 * Strings are stored as TEXT and bytes as BLOB in the same column; SQLite keeps
 * the storage class per value, so both come back as they went in with no tag.
 */

const JOURNAL_MODES = ['wal', 'delete', 'truncate', 'persist', 'memory', 'off'] as const;
const SYNCHRONOUS = ['off', 'normal', 'full', 'extra'] as const;
const AUTO_VACUUM = ['none', 'full', 'incremental'] as const;

/** Resolved open settings; plain JSON so it travels to workers as the spec. */
interface RawSettings {
  path: string;
  journalMode: (typeof JOURNAL_MODES)[number];
  synchronous: (typeof SYNCHRONOUS)[number];
  mmapSize: number;
  cacheSize: number;
  busyTimeout: number;
  autoVacuum: (typeof AUTO_VACUUM)[number];
}

// Taken from the engine's defaults (WAL, synchronous NORMAL, no mmap, 8192-page
// cache, auto_vacuum FULL, 60 s timeout), so the floor always matches what it is the floor of.
const DEFAULTS = {
  journalMode: DEFAULT_SETTINGS.sqliteJournalMode,
  synchronous: DEFAULT_SETTINGS.sqliteSynchronous,
  mmapSize: DEFAULT_SETTINGS.sqliteMmapSize, // bytes
  cacheSize: DEFAULT_SETTINGS.sqliteCacheSize, // pages
  busyTimeout: DEFAULT_SETTINGS.timeout * 1000, // ms
  autoVacuum: DEFAULT_SETTINGS.sqliteAutoVacuum, // set when the file is created
};

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['expire', 'add', 'incr', 'pop']);

export class SqliteRawBackend implements Backend {
  readonly name = 'sqlite-raw';
  readonly callStyle = 'sync';
  readonly capabilities = CAPABILITIES;
  private db: Database.Database | undefined;
  private statements: ReturnType<typeof prepare> | undefined;

  constructor(
    private readonly settings: RawSettings,
    readonly label = 'sqlite-raw',
    private readonly now: () => number = nowSeconds,
  ) {}

  open(): void {
    const db = new Database(this.settings.path, { timeout: this.settings.busyTimeout });
    applyPragmas(db, this.settings);
    createTable(db);
    this.db = db;
    this.statements = prepare(db);
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.statements = undefined;
  }

  get(key: string): Value | undefined {
    const row = this.stmts().get.get(key, this.now()) as { value: Value } | undefined;
    return row?.value;
  }

  set(key: string, value: Value, expireSeconds?: number): boolean {
    checkExpire(this.name, expireSeconds);
    this.run(() => this.stmts().set.run(key, value, expireAt(this.now(), expireSeconds)));
    return true;
  }

  delete(key: string): boolean {
    return this.run(() => this.stmts().delete.run(key)).changes > 0;
  }

  clear(): void {
    this.run(() => this.stmts().clear.run());
  }

  add(key: string, value: Value, expireSeconds?: number): boolean {
    checkExpire(this.name, expireSeconds);
    // An expired row counts as absent, so replace it; a live one wins.
    return (
      this.run(() => this.stmts().add.run(key, value, expireAt(this.now(), expireSeconds), this.now())).changes > 0
    );
  }

  incr(key: string, delta: number): number {
    // SQLite's own arithmetic converts a stored '5' to 5, as the engine's SQL does.
    const row = this.run(() => this.stmts().incr.get({ key, delta, now: this.now() })) as { value: number };
    return Number(row.value);
  }

  pop(key: string): Value | undefined {
    const row = this.run(() => this.stmts().pop.get(key)) as { value: Value; expire: number | null } | undefined;
    if (!row || (row.expire !== null && row.expire <= this.now())) return undefined;
    return row.value;
  }

  describe(): BackendDescription {
    const s = this.settings;
    return describeBackend(this, {
      durability: sqliteDurability(s.journalMode, s.synchronous),
      version: `SQLite ${sqliteVersion()}`,
      instance: { path: s.path },
      settings: {
        journal_mode: s.journalMode,
        synchronous: s.synchronous,
        mmap_size: s.mmapSize,
        cache_size: s.cacheSize,
        busy_timeout: s.busyTimeout,
        auto_vacuum: s.autoVacuum,
      },
    });
  }

  private stmts(): ReturnType<typeof prepare> {
    if (!this.statements) throw new Error('sqlite-raw: call open() before using the backend');
    return this.statements;
  }

  // A lock held past busy_timeout surfaces as SQLITE_BUSY; the harness counts that as a timeout.
  private run<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
        throw new BackendTimeoutError(`sqlite-raw: database locked for more than ${this.settings.busyTimeout} ms`);
      }
      throw error;
    }
  }
}

function prepare(db: Database.Database) {
  return {
    get: db.prepare('SELECT value FROM cache WHERE key = ? AND (expire IS NULL OR expire > ?)'),
    set: db.prepare('INSERT OR REPLACE INTO cache (key, value, expire) VALUES (?, ?, ?)'),
    delete: db.prepare('DELETE FROM cache WHERE key = ?'),
    clear: db.prepare('DELETE FROM cache'),
    add: db.prepare(
      'INSERT INTO cache (key, value, expire) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expire = excluded.expire WHERE expire IS NOT NULL AND expire <= ?',
    ),
    // A missing or expired counter starts from 0, as in the engine.
    incr: db.prepare(
      'INSERT INTO cache (key, value, expire) VALUES (@key, @delta, NULL) ON CONFLICT(key) DO UPDATE SET value = CASE WHEN expire IS NOT NULL AND expire <= @now THEN @delta ELSE value + @delta END, expire = CASE WHEN expire IS NOT NULL AND expire <= @now THEN NULL ELSE expire END RETURNING value',
    ),
    pop: db.prepare('DELETE FROM cache WHERE key = ? RETURNING value, expire'),
  };
}

function applyPragmas(db: Database.Database, s: RawSettings): void {
  db.pragma(`journal_mode = ${s.journalMode}`);
  db.pragma(`synchronous = ${s.synchronous}`);
  db.pragma(`mmap_size = ${s.mmapSize}`);
  db.pragma(`cache_size = ${s.cacheSize}`);
}

function createTable(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS cache (key TEXT PRIMARY KEY NOT NULL, value BLOB, expire REAL)');
}

function expireAt(now: number, expireSeconds: number | undefined): number | null {
  return expireSeconds === undefined ? null : now + expireSeconds;
}

function nowSeconds(): number {
  return Date.now() / 1000;
}

const OPTIONS = {
  journal_mode: { description: `PRAGMA journal_mode (${JOURNAL_MODES.join(', ')})`, default: DEFAULTS.journalMode },
  synchronous: { description: `PRAGMA synchronous (${SYNCHRONOUS.join(', ')})`, default: DEFAULTS.synchronous },
  mmap_size: { description: 'PRAGMA mmap_size in bytes; units allowed (64MiB)', default: String(DEFAULTS.mmapSize) },
  cache_size: { description: 'PRAGMA cache_size in pages', default: String(DEFAULTS.cacheSize) },
  busy_timeout: {
    description: 'milliseconds to wait for a lock before a timeout is counted',
    default: String(DEFAULTS.busyTimeout),
  },
  auto_vacuum: {
    description: `PRAGMA auto_vacuum at creation (${AUTO_VACUUM.join(', ')})`,
    default: DEFAULTS.autoVacuum,
  },
};

/** The options as settings (all but the file path), naming a bad one. */
function parseRawOptions(options: BackendOptions): Omit<RawSettings, 'path'> {
  const b = 'sqlite-raw';
  rejectUnknownOptions(b, options, OPTIONS);
  return {
    journalMode: choiceOption(b, 'journal_mode', options.journal_mode, JOURNAL_MODES, DEFAULTS.journalMode),
    synchronous: choiceOption(b, 'synchronous', options.synchronous, SYNCHRONOUS, DEFAULTS.synchronous),
    mmapSize: sizeOption(b, 'mmap_size', options.mmap_size, DEFAULTS.mmapSize),
    cacheSize: integerOption(b, 'cache_size', options.cache_size, DEFAULTS.cacheSize),
    busyTimeout: integerOption(b, 'busy_timeout', options.busy_timeout, DEFAULTS.busyTimeout),
    autoVacuum: choiceOption(b, 'auto_vacuum', options.auto_vacuum, AUTO_VACUUM, DEFAULTS.autoVacuum),
  };
}

export const sqliteRawFactory: BackendFactory = {
  name: 'sqlite-raw',
  summary: 'A bare better-sqlite3 table, prepared statements, the engine pragmas: the floor under the sqlite engine.',
  options: OPTIONS,
  validate(options) {
    parseRawOptions(options);
  },
  async provision(options, context) {
    const settings: RawSettings = { path: join(context.directory, 'sqlite-raw.db'), ...parseRawOptions(options) };
    // Create the file and table once here, so workers opening together never race on the schema or the journal-mode switch.
    const db = new Database(settings.path);
    db.pragma(`auto_vacuum = ${settings.autoVacuum}`); // only effective before the first table exists
    applyPragmas(db, settings);
    createTable(db);
    db.close();
    return {
      spec: { ...settings },
      storagePath: settings.path,
      teardown: async () => {
        for (const suffix of ['', '-wal', '-shm']) rmSync(settings.path + suffix, { force: true });
      },
    };
  },
  create(spec: BackendSpec, label) {
    return new SqliteRawBackend(spec as unknown as RawSettings, label);
  },
};
