import { intervalAt } from './barrier-clock.js';
import type { Backend } from '../backends/backend.js';
import type { ActionContext, Tally } from '../scenarios/action.js';
import type { Operation, Workload } from '../scenarios/workload.js';
import { firstLine } from '../shared/first-line.js';
import { isThenable } from '../shared/is-thenable.js';
import { timeoutIsMiss } from '../results/answer-counts.js';
import type { IntervalRecorder } from './interval-recorder.js';
import type { ActionPayload } from './protocol.js';

const hrtime = process.hrtime.bigint;
/** How often a worker yields to the event loop so IPC (progress, intervals) gets out. */
const TICK_NS = 100_000_000n;

export interface LoopOptions {
  backend: Backend;
  workload: Workload;
  recorder: IntervalRecorder;
  warmupOps: number;
  /** Measured operations, or null to run for `durationNs`. */
  ops: number | null;
  durationNs: bigint | null;
  /** Open loop: ns between this worker's scheduled operations, and its offset within the first period. */
  open: { periodNs: number; offsetNs: number } | null;
  intervalNs: bigint;
  onInterval(index: number, actions: Record<string, ActionPayload>): void;
  onProgress(ops: number): void;
}

export interface LoopOutcome {
  endNs: bigint;
  ops: number;
  /** The figures the actions' bookkeeping kept (e.g. increments issued), for the scenario's check. */
  tally: Tally;
}

/**
 * One worker's run: warm-up (unrecorded), then the measured operations in a
 * closed loop (next op when the last returns) or an open loop (ops at fixed
 * intended times; latency counted from the intended time, so a stall also
 * delays — and is charged to — the ops queued behind it). A worker in a run
 * calls warmUp and measure apart, with a barrier between them, so that every
 * worker starts measuring at the same instant.
 */
export class WorkerLoop {
  private readonly context: ActionContext;
  private intervalIndex = 0;
  private intervalStart = 0n;
  private intervalEnd = 0n;

  constructor(private readonly o: LoopOptions) {
    this.context = { workload: o.workload, tally: {} };
  }

  /** Warm-up, then measuring at once (a single process needs no barrier between them). */
  async run(): Promise<LoopOutcome> {
    await this.warmUp();
    return this.measure(hrtime());
  }

  /**
   * The measured operations, from `measureStartNs` on: interval indexes count
   * from there, so interval 0 holds measured time only (never the warm-up).
   */
  async measure(measureStartNs: bigint): Promise<LoopOutcome> {
    this.intervalStart = measureStartNs;
    this.intervalEnd = measureStartNs + this.o.intervalNs;
    const ops = this.o.open ? await this.openLoop(measureStartNs) : await this.closedLoop(measureStartNs);
    const endNs = hrtime();
    const last = this.o.recorder.drain();
    if (Object.keys(last).length > 0) this.o.onInterval(this.intervalIndex, last);
    this.o.onProgress(ops);
    return { endNs, ops, tally: this.context.tally };
  }

  /** Unrecorded operations; their bookkeeping (`after`: tallies, a crawl's frontier) still runs. */
  async warmUp(): Promise<void> {
    const { backend, workload } = this.o;
    for (let i = 0; i < this.o.warmupOps; i++) {
      const op = workload.next();
      const action = op.definition;
      try {
        let result = action.perform(backend, op);
        if (isThenable(result)) result = await result;
        if (action.after !== undefined) action.after(result, this.context);
      } catch {
        // Warm-up failures are not measured; a persistent problem shows up in the measured phase.
      }
    }
  }

  private async closedLoop(measureStartNs: bigint): Promise<number> {
    const { backend, workload, recorder } = this.o;
    const endAt = this.o.durationNs === null ? null : measureStartNs + this.o.durationNs;
    const limit = this.o.ops ?? Number.POSITIVE_INFINITY;
    let nextTick = measureStartNs + TICK_NS;
    let done = 0;
    while (done < limit) {
      const op = workload.next();
      const action = op.definition;
      let result: unknown;
      let failure: unknown;
      const t0 = hrtime();
      try {
        result = action.perform(backend, op);
        if (isThenable(result)) result = await result;
      } catch (error) {
        failure = error ?? new Error('unknown error');
      }
      const t1 = hrtime();
      done++;
      if (t1 >= this.intervalEnd) this.closeInterval(t1);
      if (failure === undefined) {
        recorder.record(op.action, Number(t1 - t0), action.isMiss(result));
        if (action.after !== undefined) action.after(result, this.context);
      } else {
        this.fail(op.action, failure, Number(t1 - t0));
      }
      if (endAt !== null && t1 >= endAt) break;
      if (t1 >= nextTick) {
        this.o.onProgress(done);
        await yieldToEventLoop();
        nextTick = hrtime() + TICK_NS;
      }
    }
    return done;
  }

  private async openLoop(measureStartNs: bigint): Promise<number> {
    const { backend, workload, recorder } = this.o;
    const { periodNs, offsetNs } = this.o.open!;
    const endAt = this.o.durationNs === null ? null : measureStartNs + this.o.durationNs;
    const limit = this.o.ops ?? Number.POSITIVE_INFINITY;
    let nextTick = measureStartNs + TICK_NS;
    let done = 0;
    while (done < limit) {
      // Float arithmetic keeps fractional periods exact over long runs; rounding happens once per op.
      const intended = measureStartNs + BigInt(Math.round(offsetNs + done * periodNs));
      if (endAt !== null && intended >= endAt) break;
      await waitUntil(intended);
      // The timed block below repeats the closed loop's on purpose: a shared
      // helper would add a call (and a result object) per operation to the
      // very figure the memory floor measures.
      const op = workload.next();
      const action = op.definition;
      let result: unknown;
      let failure: unknown;
      const t0 = hrtime();
      try {
        result = action.perform(backend, op);
        if (isThenable(result)) result = await result;
      } catch (error) {
        failure = error ?? new Error('unknown error');
      }
      const t1 = hrtime();
      done++;
      if (t1 >= this.intervalEnd) this.closeInterval(t1);
      if (failure === undefined) {
        recorder.record(op.action, Number(t1 - intended), action.isMiss(result), Number(t1 - t0));
        if (action.after !== undefined) action.after(result, this.context);
      } else {
        this.fail(op.action, failure, Number(t1 - intended), Number(t1 - t0));
      }
      if (t1 >= nextTick) {
        this.o.onProgress(done);
        await yieldToEventLoop();
        nextTick = hrtime() + TICK_NS;
      }
    }
    return done;
  }

  private closeInterval(now: bigint): void {
    const actions = this.o.recorder.drain();
    if (Object.keys(actions).length > 0) this.o.onInterval(this.intervalIndex, actions);
    ({ index: this.intervalIndex, end: this.intervalEnd } = intervalAt(now, this.intervalStart, this.o.intervalNs));
  }

  /**
   * An operation that threw. A timeout is an answer (the store gave up and
   * answered a miss, as FanoutCache returns the default): the caller waited
   * `latencyNs` for it, so it is timed like a success — leaving it out made
   * the tail look better than what callers saw. Anything else is an error:
   * not an answer, counted and untimed. Latencies as for a success: closed
   * loop from the actual start; open loop from the intended start, with
   * `serviceNs` from the actual one.
   */
  private fail(action: Operation['action'], error: unknown, latencyNs: number, serviceNs = 0): void {
    const e = error as { code?: unknown; name?: unknown; message?: unknown };
    // By code and name rather than instanceof: a user's backend module may carry its own copy of the class.
    if (e.code === 'BACKEND_TIMEOUT' || e.name === 'BackendTimeoutError')
      this.o.recorder.timedOut(action, latencyNs, timeoutIsMiss(action), serviceNs);
    else this.o.recorder.error(action, shortened(firstLine(typeof e.message === 'string' ? e.message : String(error))));
  }
}

/** An error message as the results keep it: at most 200 characters. */
function shortened(line: string): string {
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// A futex to sleep on: Atomics.wait blocks the thread with microsecond precision and
// leaves the CPU to other processes, where spinning would steal it from them (and,
// on a loaded machine, get the spinner descheduled for whole time slices).
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * How long before an operation's intended start the worker stops sleeping and
 * spins, in ms. Linux may wake a sleeper up to its timer slack late
 * (/proc/self/timerslack_ns, 50 µs by default) so that it can batch wake-ups.
 * A 50 µs margin therefore woke up after the target nearly every time, and
 * every open-loop latency carried 30–40 µs of the harness's own lateness
 * (memory get: 37.6 µs response vs 1.3 µs service time at 1,000 ops/s). Four
 * times the default slack leaves room for it plus a scheduling delay; the price
 * is up to this much spinning per operation (a quarter of a CPU at 1,000 ops/s).
 */
export const SPIN_MARGIN_MS = 0.25;

/**
 * Waits until `target`: a timer for long gaps (keeps the event loop, and IPC,
 * alive), a futex sleep for sub-millisecond ones, and a spin for the last
 * SPIN_MARGIN_MS, which sleeping cannot hit exactly.
 */
async function waitUntil(target: bigint): Promise<void> {
  let now = hrtime();
  if (now >= target) return;
  const gapMs = Number(target - now) / 1e6;
  if (gapMs > 3) await new Promise((resolve) => setTimeout(resolve, gapMs - 2));
  now = hrtime();
  const leftMs = Number(target - now) / 1e6;
  if (leftMs > SPIN_MARGIN_MS) Atomics.wait(sleeper, 0, 0, leftMs - SPIN_MARGIN_MS);
  do now = hrtime();
  while (now < target);
}
