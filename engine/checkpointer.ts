import type { Database, Statement } from 'better-sqlite3';
import type { Settings } from './settings.js';
import { CheckpointThreadClient, type ThreadCheckpoints } from './checkpoint-thread.js';
import type { WriteTimer } from './write-timing.js';

/**
 * Commits of one connection between the engine's own checkpoints, from the
 * pages SQLite would count (sqliteWalAutocheckpoint, default 1000): a small
 * set writes ~4 pages to the WAL (row, key index, the size and count in
 * Settings), so with one writer this is about SQLite's own threshold; with N
 * writers each counting its own commits the WAL is checkpointed about as
 * often as one writer's would be.
 */
export function checkpointCommits(walPages: number): number {
  return Math.max(1, Math.round(walPages / 4));
}
/** `idle`: a process that never lets its event loop run checkpoints inline after this many times checkpointCommits, so the WAL stays bounded. */
export const IDLE_LIMIT_FACTOR = 2;

/**
 * The engine's own WAL checkpoints, in place of SQLite's automatic one
 * (`walCheckpoint` 'commit', 'idle' or 'thread'; docs/engine.md, "Checkpoints").
 * SQLite's runs inside the COMMIT that takes the WAL past 1000 pages, so one
 * set in a few hundred pays for copying the WAL into cache.db and its fsync.
 * Here the connection turns that off (wal_autocheckpoint = 0) and runs a
 * PASSIVE checkpoint itself — the same kind SQLite runs, which never blocks
 * readers or writers — timed and counted (stats().writes.checkpoints):
 * - `commit`: right after the commit that reaches checkpointCommits, where
 *   SQLite would; only the counting differs.
 * - `idle`: from setImmediate, when the process next lets its event loop run
 *   (between requests in a server), so no call pays for it; a process that
 *   does not yield for IDLE_LIMIT_FACTOR times as many commits checkpoints inline.
 * - `thread`: on the process's checkpoint thread (engine/checkpoint-thread.ts),
 *   asked after every checkpointCommits commits, so no call pays for it even
 *   in a process that never yields.
 * Durability is the same as with SQLite's: commits are durable when the
 * WAL is synced (synchronous = normal: at checkpoints), and the WAL is
 * checkpointed at least every IDLE_LIMIT_FACTOR × checkpointCommits commits of a connection.
 */
export class Checkpointer {
  private commits = 0;
  private readonly checkpoint: Statement;
  private scheduled: NodeJS.Immediate | undefined;
  private readonly every: number;
  private readonly limit: number;
  /** `thread` mode: this connection's handle on the checkpoint thread. */
  private readonly thread: CheckpointThreadClient | null;

  private constructor(
    private readonly db: Database,
    private readonly mode: 'commit' | 'idle' | 'thread',
    walPages: number,
    private readonly timer: WriteTimer,
    file: string,
  ) {
    this.thread = mode === 'thread' ? new CheckpointThreadClient(file, walPages) : null;
    this.every = checkpointCommits(walPages);
    this.limit = IDLE_LIMIT_FACTOR * this.every;
    db.pragma('wal_autocheckpoint = 0');
    this.checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  }

  /** The connection's checkpointer, or null where SQLite keeps checkpointing (the default, or no WAL). */
  static create(
    db: Database,
    settings: Pick<Settings, 'walCheckpoint' | 'sqliteJournalMode' | 'sqliteWalAutocheckpoint'>,
    timer: WriteTimer,
    file: string,
  ): Checkpointer | null {
    if (settings.walCheckpoint === 'auto' || settings.sqliteJournalMode !== 'wal') return null;
    return new Checkpointer(db, settings.walCheckpoint, settings.sqliteWalAutocheckpoint, timer, file);
  }

  /** After each outermost COMMIT. */
  committed(): void {
    const commits = ++this.commits;
    if (this.thread !== null) {
      if (commits >= this.every) {
        this.commits = 0;
        if (!this.thread.request()) this.run();
      }
    } else if (this.mode === 'commit') {
      if (commits >= this.every) this.run();
    } else if (commits >= this.limit) {
      this.run();
    } else if (commits >= this.every && this.scheduled === undefined) {
      this.scheduled = setImmediate(() => this.idle()).unref();
    }
  }

  /** Checkpoints the thread ran for this connection since the last reset (none in other modes). */
  threadCheckpoints(reset: boolean): ThreadCheckpoints {
    return this.thread?.read(reset) ?? { checkpoints: 0, checkpointNs: 0 };
  }

  /** Before the connection closes: the thread's connection goes first, so this one is the last and removes the WAL. */
  close(): void {
    this.cancel();
    this.thread?.release();
  }

  /** Drops a scheduled checkpoint (one runs now). A scheduled one after close finds the connection closed and does nothing. */
  private cancel(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  private idle(): void {
    this.scheduled = undefined;
    // A transaction cannot be open here (they are synchronous); a closed connection has nothing to do.
    if (this.db.open && !this.db.inTransaction) this.run();
  }

  /**
   * One PASSIVE checkpoint, timed. Its errors are not the caller's, as with
   * SQLite's own (whose result the COMMIT ignores): the write has committed,
   * another connection's checkpoint in progress (SQLITE_BUSY) does the work,
   * and a failing disk shows itself on the next write.
   */
  private run(): void {
    this.cancel();
    this.commits = 0;
    const start = this.timer.now();
    try {
      this.checkpoint.get();
      this.timer.checkpointed(start);
    } catch {
      // See above.
    }
  }
}
