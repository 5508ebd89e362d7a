import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The process's checkpoint thread (`walCheckpoint: 'thread'`): one worker
 * thread, started when the first checkpoint falls due, that holds its own
 * connection to each database it is asked about and runs SQLite's PASSIVE
 * checkpoint there. The copy of the WAL into cache.db and its two fsyncs then
 * happen beside the calls, not inside one of them, even in a process that
 * never lets its event loop run. One thread serves every cache the process
 * opens; it is unref'd, so it never keeps the process alive.
 *
 * A PASSIVE checkpoint never waits, and under steady writes from several
 * processes it never finds the WAL idle either: frames arrive while it copies,
 * readers keep using them, and the WAL is never started again from its
 * beginning, so it grows without end (past 100 MB in a minute of the talk
 * workload at 4 processes). When the WAL holds RESTART_FACTOR times the
 * threshold, the thread runs a RESTART checkpoint instead: it waits (up to
 * RESTART_WAIT_MS) for the current writer, copies the rest, and holds off new
 * writers until readers have left the WAL, so the next write starts it again.
 * That keeps the WAL within about the size SQLite's own checkpoints leave.
 *
 * The thread's code is a string (an eval worker) so that it runs the same
 * from compiled and from TypeScript sources; it loads better-sqlite3 from the
 * path the engine itself resolves.
 */
/** Slots of a connection's figures (a shared BigInt64Array the thread adds to and the engine reads). */
const COUNT = 0;
const NS = 1;
const PENDING = 2;
/** How long a RESTART checkpoint waits for a writer or reader to leave (new writers wait meanwhile); on timeout the next request tries again. */
const RESTART_WAIT_MS = 20;
/** The WAL holds this many times the checkpoint threshold: restart it. */
export const RESTART_FACTOR = 4;

const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlite);
const connections = new Map();
function checkpoint({ id, file, restartAt, figures }) {
  let entry = connections.get(id);
  try {
    if (entry === undefined) {
      const db = new Database(file, { fileMustExist: true });
      db.pragma('wal_autocheckpoint = 0');
      db.pragma('busy_timeout = ${RESTART_WAIT_MS}');
      entry = {
        db,
        passive: db.prepare('PRAGMA wal_checkpoint(PASSIVE)'),
        restart: db.prepare('PRAGMA wal_checkpoint(RESTART)'),
      };
      connections.set(id, entry);
    }
    const start = process.hrtime.bigint();
    const { log } = entry.passive.get();
    if (log >= restartAt) entry.restart.get();
    Atomics.add(figures, ${COUNT}, 1n);
    Atomics.add(figures, ${NS}, process.hrtime.bigint() - start);
  } catch {
    // A busy checkpointer lock or a disk error: the next request does the work, and a failing disk shows itself on the next write.
  } finally {
    Atomics.store(figures, ${PENDING}, 0n);
  }
}
function release({ id, done }) {
  const entry = connections.get(id);
  connections.delete(id);
  try {
    entry?.db.close();
  } finally {
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
  }
}
parentPort.on('message', (message) => (message.kind === 'checkpoint' ? checkpoint(message) : release(message)));
`;

/** How long close() waits for the thread to drop its connection: longer than a checkpoint of a large WAL on a slow disk. */
const RELEASE_WAIT_MS = 10_000;

let thread: Worker | undefined;
let nextId = 1;

function theThread(): Worker {
  if (thread !== undefined) return thread;
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { sqlite } });
  worker.unref();
  // A thread that died (out of memory, say) is replaced at the next request; its connections went with it.
  const forget = (): void => {
    if (thread === worker) thread = undefined;
  };
  worker.on('error', forget);
  worker.on('exit', forget);
  thread = worker;
  return worker;
}

/** What the thread did for one connection: checkpoints run and their time. */
export interface ThreadCheckpoints {
  checkpoints: number;
  checkpointNs: number;
}

/** One connection's handle on the checkpoint thread. */
export class CheckpointThreadClient {
  private readonly id = nextId++;
  private readonly figures = new BigInt64Array(new SharedArrayBuffer(3 * 8));
  /** The thread this connection last asked, if any: a request sent to a thread that has since died is not waited for. */
  private asked: Worker | undefined;
  /** Figures already handed out by read(reset): the shared ones only grow. */
  private base = { checkpoints: 0n, checkpointNs: 0n };

  /** `walPages`: the checkpoint threshold in WAL pages (sqliteWalAutocheckpoint). */
  constructor(
    private readonly file: string,
    private readonly walPages: number,
  ) {}

  /**
   * Asks for a checkpoint; a request still waiting for the thread covers this
   * one too. False when no thread could be started or asked (the caller then
   * checkpoints inline, so the WAL stays bounded all the same).
   */
  request(): boolean {
    if (this.asked !== undefined && this.asked !== thread) Atomics.store(this.figures, PENDING, 0n);
    if (Atomics.compareExchange(this.figures, PENDING, 0n, 1n) !== 0n) return true;
    try {
      this.asked = theThread();
      this.asked.postMessage({
        kind: 'checkpoint',
        id: this.id,
        file: this.file,
        restartAt: RESTART_FACTOR * this.walPages,
        figures: this.figures,
      });
      return true;
    } catch {
      Atomics.store(this.figures, PENDING, 0n);
      return false;
    }
  }

  read(reset: boolean): ThreadCheckpoints {
    const now = {
      checkpoints: Atomics.load(this.figures, COUNT),
      checkpointNs: Atomics.load(this.figures, NS),
    };
    const since = {
      checkpoints: Number(now.checkpoints - this.base.checkpoints),
      checkpointNs: Number(now.checkpointNs - this.base.checkpointNs),
    };
    if (reset) this.base = now;
    return since;
  }

  /**
   * Closes the thread's connection to this database and waits (up to
   * RELEASE_WAIT_MS) until it has: the caller's connection should be the last
   * one, so that closing it checkpoints the WAL and removes it as usual.
   */
  release(): void {
    if (this.asked === undefined || this.asked !== thread) return;
    const done = new Int32Array(new SharedArrayBuffer(4));
    this.asked.postMessage({ kind: 'release', id: this.id, done });
    Atomics.wait(done, 0, 0, RELEASE_WAIT_MS);
    this.asked = undefined;
    Atomics.store(this.figures, PENDING, 0n);
  }
}
