import type { Database, Statement } from 'better-sqlite3';
import { join } from 'node:path';
import type { Disk } from './disk.js';
import { EVICTION_POLICY, type EvictionSpec } from './eviction.js';
import { warnFirstEviction } from './eviction-warning.js';
import { commitNeedsSyncBeforeDrop, syncWal } from './wal-sync.js';
import { DB_FILE, waitsForLockItself } from './open.js';
import type { Settings } from './settings.js';
import { CacheStateError } from './errors.js';
import { isBusy, mapSqliteError } from './sqlite-errors.js';
import { isThenable } from './thenable.js';
import { withLockWait } from './with-retries.js';
import { WriteTimer } from './write-timing.js';
import { Checkpointer } from './checkpointer.js';
import { statements, type Statements } from './statements.js';

/**
 * The internals every method family shares: connection, prepared statements
 * (prepared once), serialiser, resolved settings, clock, and the transaction
 * depth with the spill files waiting on its outcome.
 */
export class Core {
  readonly s: Statements;
  readonly policy: EvictionSpec;
  readonly file: string;
  /** Reads need a write only for statistics or LRU/LFU bookkeeping. */
  readOnlyGet: boolean;
  /** WAL: busy_timeout is 0 and lockWait waits for the write lock (open.ts waitsForLockItself). */
  private readonly waitsForLock: boolean;
  private readonly prepared = new Map<string, Statement>();
  depth = 0;
  /** Lock waits, slow commits and checkpoints of this connection: stats().writes. */
  readonly timer: WriteTimer;
  /** The engine's own WAL checkpoints (walCheckpoint 'commit', 'idle' or 'thread'); null: SQLite's automatic one. */
  readonly checkpointer: Checkpointer | null;
  /** Spill files written in this transaction: removed if it rolls back. */
  readonly created: string[] = [];
  /** Spill files of rows dropped in this transaction: removed after it commits. */
  readonly dropped: string[] = [];

  constructor(
    readonly db: Database,
    readonly disk: Disk,
    readonly settings: Settings,
    readonly now: () => number,
    readonly directory: string,
  ) {
    this.policy = EVICTION_POLICY[settings.evictionPolicy];
    this.s = statements(db, this.policy, settings.cullLimit);
    this.file = join(directory, DB_FILE);
    this.readOnlyGet = !settings.statistics && this.policy.get === null;
    this.waitsForLock = waitsForLockItself(settings);
    this.timer = new WriteTimer(this.waitsForLock);
    this.checkpointer = Checkpointer.create(db, settings, this.timer, this.file);
  }

  /** Statements outside the hot path, prepared on first use and kept. */
  prepare(sql: string): Statement {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      try {
        statement = this.db.prepare(sql);
      } catch (error) {
        throw this.mapError(error); // callers prepare outside their own error mapping
      }
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  mapError(error: unknown): unknown {
    return mapSqliteError(error, this.file, this.settings.timeout);
  }

  /**
   * Runs `fn` (one statement that takes the write lock, or fails before
   * changing anything) again while another process holds the lock, for up to
   * `timeout` seconds; then SQLITE_BUSY becomes CacheTimeoutError through
   * mapError, as when SQLite's busy handler gave up. Without WAL,
   * busy_timeout does the waiting inside SQLite and fn runs once.
   */
  lockWait<T>(fn: () => T): T {
    return this.waitsForLock ? withLockWait(fn, isBusy, this.settings.timeout, this.settings.lockWait) : fn();
  }

  /** Starts (or joins) a BEGIN IMMEDIATE transaction; nested calls only count depth. */
  begin(): void {
    if (this.depth++ > 0) return;
    const start = this.timer.now();
    try {
      this.s.begin.run(); // tried directly first: the uncontended path costs no closure
      this.timer.began(start, false);
    } catch (error) {
      try {
        if (!isBusy(error)) throw error;
        this.lockWait(() => this.s.begin.run());
        this.timer.began(start, true);
      } catch (final) {
        this.depth = 0;
        this.discard(this.created);
        this.dropped.length = 0;
        throw this.mapError(final);
      }
    }
  }

  /** Commits the outermost transaction, then removes the spill files it dropped. */
  commit(): void {
    if (this.depth > 1) {
      this.depth--;
      return;
    }
    const start = this.timer.now();
    this.s.commit.run(); // on failure depth stays 1 and the caller's rollback() cleans up
    this.timer.committed(start);
    this.depth = 0;
    this.created.length = 0;
    // A row must be durable before the spill file it replaced goes: otherwise a power cut can leave the old row pointing at nothing.
    if (this.dropped.length > 0 && commitNeedsSyncBeforeDrop(this.settings) && !syncWal(this.file))
      this.dropped.length = 0;
    this.discard(this.dropped);
    this.checkpointer?.committed();
  }

  /** Rolls back the outermost transaction and removes the spill files it wrote. */
  rollback(): void {
    if (this.depth === 0) return;
    if (this.depth > 1) {
      this.depth--;
      return;
    }
    this.depth = 0;
    try {
      if (this.db.inTransaction) this.s.rollback.run();
    } finally {
      this.dropped.length = 0;
      this.discard(this.created);
    }
  }

  /**
   * Runs `fn` inside the open transaction under a SAVEPOINT: on a throw, its
   * own rows are rolled back (ROLLBACK TO), the spill files it wrote are
   * removed and the ones it meant to drop are kept, and the outer
   * transaction continues. Internal nesting (a set inside transact) only
   * counts depth: a savepoint per operation would cost a statement each.
   */
  savepoint<T>(fn: () => T): T {
    const name = `sp${this.depth}`;
    const created = this.created.length;
    const dropped = this.dropped.length;
    this.prepare(`SAVEPOINT ${name}`).run();
    const depth = this.depth++;
    try {
      const result = synchronous(fn());
      this.depth = depth;
      this.prepare(`RELEASE ${name}`).run();
      return result;
    } catch (error) {
      this.depth = depth;
      // SQLite may already have rolled the whole transaction back (e.g. disk full): then there is no savepoint.
      if (this.db.inTransaction) {
        this.prepare(`ROLLBACK TO ${name}`).run();
        this.prepare(`RELEASE ${name}`).run();
      }
      this.dropped.length = dropped;
      this.discard(this.created.splice(created));
      throw this.mapError(error);
    }
  }

  /**
   * transact(): `fn` in one BEGIN IMMEDIATE transaction, or under a SAVEPOINT
   * when one is open already (see savepoint()).
   */
  transact<T>(fn: () => T): T {
    if (this.depth > 0) return this.savepoint(fn);
    return this.write(() => synchronous(fn()));
  }

  /** Runs `fn` in a transaction (joining an open one). */
  write<T>(fn: () => T): T {
    this.begin();
    try {
      const result = fn();
      this.commit();
      return result;
    } catch (error) {
      this.rollback();
      throw this.mapError(error);
    }
  }

  /** Marks spill files of deleted rows for removal after commit. */
  drop(filenames: readonly (string | null)[]): void {
    for (let i = 0; i < filenames.length; i++) {
      const name = filenames[i];
      if (name !== null) this.dropped.push(name);
    }
  }

  /** volume(): database pages in use (not the freelist) plus spill-file bytes. */
  volume(): number {
    const pages = this.s.pageCount.get() as number;
    return pages * this.settings.sqlitePageSize + (this.s.readSetting.get('size') as number);
  }

  /**
   * Inside a transaction: remove up to cullLimit expired rows, then, while
   * volume() is at or above sizeLimit, up to cullLimit rows by policy —
   * never the row `keep` that was just written (under LFU a new row has the
   * lowest count and would otherwise go first). Returns how many rows went.
   */
  cull(now: number, keep: number): number {
    if (this.settings.cullLimit <= 0) return 0;
    let expired = 0;
    if (this.s.anyExpired.get(now) !== undefined) {
      const filenames = this.s.cullExpired.all(now) as (string | null)[];
      this.drop(filenames);
      expired = filenames.length;
    }
    const cullPolicy = this.s.cullPolicy;
    if (cullPolicy === null || this.volume() < this.settings.sizeLimit) return expired;
    const evicted = cullPolicy.all(keep) as (string | null)[];
    this.drop(evicted);
    this.countEvictions(evicted.length);
    return expired + evicted.length;
  }

  /** Rows removed by policy (not expired ones) go into stats().evictions, counted whatever `statistics` says. */
  countEvictions(rows: number): void {
    if (rows === 0) return;
    this.s.bumpSetting.run(rows, 'evictions');
    warnFirstEviction(this.settings, this.directory);
  }

  private discard(filenames: string[]): void {
    for (const name of filenames) {
      try {
        this.disk.remove(name);
      } catch {
        // A file we cannot remove is an orphan; check({ fix: true }) reports and removes it.
      }
    }
    filenames.length = 0;
  }
}

/** A transaction cannot wait for a Promise: fn's result must be its final one. */
function synchronous<T>(result: T): T {
  if (isThenable(result)) {
    throw new CacheStateError(
      'transact() is synchronous; fn returned a Promise — do async work outside the transaction',
    );
  }
  return result;
}
