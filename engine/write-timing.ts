/**
 * Where this connection's writes spent their time: waiting for the write lock,
 * in slow commits, in WAL checkpoints. Kept in memory per connection (per
 * process), unlike hits and misses, which live in cache.db; read through
 * `stats().writes`. Each figure comes from a pair of clock reads around a
 * statement the write path runs anyway (~30 ns a pair), so it is always on.
 */
export interface WriteTimes {
  /** Write transactions this connection began (outermost BEGIN IMMEDIATE; nested ones join it). */
  transactions: number;
  /**
   * Of those, how many met another connection's write lock and waited. With
   * `lockWait: 'poll'` or `'bounded'` this is exact (the first try answered SQLITE_BUSY).
   * With SQLite's busy handler the wait happens inside SQLite, so a BEGIN
   * that took LOCK_WAIT_EVIDENCE_NS or longer counts: the handler's first
   * sleep is 1 ms, an uncontended BEGIN takes a few µs (a BEGIN descheduled
   * that long counts too).
   */
  lockWaits: number;
  /** Total ns those waits took. */
  lockWaitNs: number;
  /**
   * COMMITs that took LOCK_WAIT_EVIDENCE_NS or longer: under WAL with
   * `walCheckpoint: 'auto'` mostly SQLite's automatic checkpoint (its fsync
   * included), else an fsync (`synchronous: 'full'`) or the process being
   * descheduled mid-commit.
   */
  slowCommits: number;
  slowCommitNs: number;
  /** WAL checkpoints this connection ran itself (`walCheckpoint` 'commit' or 'idle'), and their ns. */
  checkpoints: number;
  checkpointNs: number;
}

/** 0.5 ms: half the busy handler's first sleep, a hundred times an uncontended BEGIN or COMMIT. */
export const LOCK_WAIT_EVIDENCE_NS = 500_000;

export function emptyWriteTimes(): WriteTimes {
  return {
    transactions: 0,
    lockWaits: 0,
    lockWaitNs: 0,
    slowCommits: 0,
    slowCommitNs: 0,
    checkpoints: 0,
    checkpointNs: 0,
  };
}

/** Sums figures of several connections (FanoutCache's shards). */
export function addWriteTimes(into: WriteTimes, more: WriteTimes): WriteTimes {
  for (const key of Object.keys(into) as (keyof WriteTimes)[]) into[key] += more[key];
  return into;
}

const hrtime = process.hrtime.bigint;

/** The counters one Core keeps, and the clock they read. */
export class WriteTimer {
  times: WriteTimes = emptyWriteTimes();

  /**
   * `exact`: the engine waits for the lock itself (lockWait 'poll' or
   * 'bounded' under WAL), so `waited` alone says whether a BEGIN met another
   * connection's lock; a first try that was merely descheduled is not a wait.
   * Otherwise SQLite's busy handler waits out of sight and a slow BEGIN is the
   * evidence (LOCK_WAIT_EVIDENCE_NS).
   */
  constructor(private readonly exact = false) {}

  /** The clock, read before a statement the write path times. */
  readonly now = hrtime;

  /** A BEGIN IMMEDIATE that started at `start` has taken the lock; `waited`: it met SQLITE_BUSY first. */
  began(start: bigint, waited: boolean): void {
    const ns = Number(hrtime() - start);
    this.times.transactions++;
    if (waited || (!this.exact && ns >= LOCK_WAIT_EVIDENCE_NS)) {
      this.times.lockWaits++;
      this.times.lockWaitNs += ns;
    }
  }

  /** A COMMIT that started at `start` has returned. */
  committed(start: bigint): void {
    const ns = Number(hrtime() - start);
    if (ns >= LOCK_WAIT_EVIDENCE_NS) {
      this.times.slowCommits++;
      this.times.slowCommitNs += ns;
    }
  }

  /** A checkpoint the engine ran itself, started at `start`, has returned. */
  checkpointed(start: bigint): void {
    this.times.checkpoints++;
    this.times.checkpointNs += Number(hrtime() - start);
  }

  /** The figures so far; `reset` starts them again from zero. */
  read(reset: boolean): WriteTimes {
    const times = { ...this.times };
    if (reset) this.times = emptyWriteTimes();
    return times;
  }
}
