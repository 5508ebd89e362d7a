import { intervalAt } from '../barrier-clock.js';
import type { ActionContext, ActionDefinition } from '../../scenarios/action.js';
import type { Operation } from '../../scenarios/workload.js';
import { timeoutIsMiss } from '../../results/answer-counts.js';
import type { LoopOptions, LoopOutcome } from '../worker-loop.js';
import type { ForeignProcess } from '../../backends/foreign/foreign-process.js';
import { ForeignWorkerError } from '../../backends/foreign/foreign-process.js';
import {
  decodeValue,
  type BatchSchedule,
  type ParentWireMessage,
  type Timings,
  type WireOp,
  type WorkerWireMessage,
} from '../../backends/foreign/foreign-wire.js';
import { encodeOperation } from './foreign-operations.js';

/** Operations per batch: large enough that the gap between batches is a small share of a run, small enough to keep progress current. */
export const BATCH_OPS = 1_000;

/** The TypeScript loop's options, with the foreign process in place of the backend. */
export interface ForeignRunOptions extends Omit<LoopOptions, 'backend'> {
  process: ForeignProcess;
  /** Names the worker in refusals. */
  what: string;
  /** The worker's clock minus this process's clock (ns). */
  clockOffsetNs: bigint;
  /** @default BATCH_OPS */
  batchOps?: number;
}

interface SentBatch {
  actions: Operation['action'][];
  /** Each operation's definition, for its bookkeeping (`after`) once answered. */
  definitions: ActionDefinition[];
  size: number;
  /** Sent with a time limit: the worker may stop short. */
  bounded: boolean;
  /** Sent with an open-loop schedule: service times come back too. */
  scheduled: boolean;
  answer: Promise<WorkerWireMessage>;
}

/**
 * One foreign worker's run, driven from this process: the operations come
 * from the same seeded Workload a TypeScript worker uses, travel to the
 * worker in batches before they are due (the next one is always queued, so
 * the worker never waits for this process), and come back as per-operation
 * latencies and end times on the worker's clock, which are recorded here into
 * the same interval histograms as a TypeScript worker's. An answer that does
 * not account for its batch is refused.
 */
export class ForeignRun {
  private readonly context: ActionContext;
  private intervalIndex = 0;
  private intervalStart = 0n;
  private intervalEnd = 0n;
  private readonly batchOps: number;

  constructor(private readonly o: ForeignRunOptions) {
    this.batchOps = Math.max(1, Math.floor(o.batchOps ?? BATCH_OPS));
    this.context = { workload: o.workload, tally: {} };
  }

  /** Unrecorded operations, batch after batch; their bookkeeping (`after`: tallies) still runs. */
  async warmUp(): Promise<void> {
    for (let left = this.o.warmupOps; left > 0;) {
      const size = Math.min(this.batchOps, left);
      const batch = this.send(size, {});
      const timings = this.check(batch, await batch.answer);
      for (let i = 0; i < timings.count; i++) this.track(batch, timings, i);
      left -= size;
    }
  }

  /** The measured operations; the first batch waits in the worker until `measureStartNs` (this process's clock). */
  async measure(measureStartNs: bigint): Promise<LoopOutcome> {
    const toWorker = (ns: bigint): number => Number(ns + this.o.clockOffsetNs);
    this.intervalStart = measureStartNs;
    this.intervalEnd = measureStartNs + this.o.intervalNs;
    const limit = this.o.ops ?? Number.POSITIVE_INFINITY;
    const untilNs = this.o.durationNs === null ? undefined : toWorker(measureStartNs + this.o.durationNs);
    let sent = 0;
    let done = 0;
    let over = false;
    let lastEnd = measureStartNs;
    const next = (): SentBatch | undefined => {
      const size = Math.min(this.batchOps, limit - sent);
      if (over || size <= 0) return undefined;
      const schedule: BatchSchedule | undefined = this.o.open
        ? {
            start_ns: toWorker(measureStartNs),
            offset_ns: this.o.open.offsetNs,
            period_ns: this.o.open.periodNs,
            first: sent,
          }
        : undefined;
      const batch = this.send(size, {
        ...(sent === 0 ? { at_ns: toWorker(measureStartNs) } : {}),
        ...(untilNs === undefined ? {} : { until_ns: untilNs }),
        ...(schedule ? { schedule } : {}),
      });
      sent += size;
      return batch;
    };
    const queue = [next(), next()].filter((b): b is SentBatch => b !== undefined);
    while (queue.length > 0) {
      const batch = queue.shift()!;
      const timings = this.check(batch, await batch.answer);
      lastEnd = this.record(batch, timings, lastEnd);
      done += timings.count;
      // A duration-bounded batch that stopped short: time is up, send no more.
      if (timings.count < batch.size) over = true;
      this.o.onProgress(done);
      const following = next();
      if (following) queue.push(following);
    }
    const last = this.o.recorder.drain();
    if (Object.keys(last).length > 0) this.o.onInterval(this.intervalIndex, last);
    return { endNs: lastEnd, ops: done, tally: this.context.tally };
  }

  /** Pops every key, in batches; answers the values found (a scenario check's drain). */
  async popAll(keys: readonly string[]): Promise<unknown[]> {
    const found: unknown[] = [];
    for (let start = 0; start < keys.length; start += this.batchOps) {
      const ops: WireOp[] = keys.slice(start, start + this.batchOps).map((key) => ['pop', key]);
      const batch: SentBatch = {
        actions: ops.map(() => 'pop'),
        definitions: [],
        size: ops.length,
        bounded: false,
        scheduled: false,
        answer: this.o.process.request({ type: 'batch', ops }),
      };
      const timings = this.check(batch, await batch.answer);
      for (const value of Object.values(timings.values ?? {})) found.push(decodeValue(value));
    }
    return found;
  }

  private send(size: number, extra: Partial<Extract<ParentWireMessage, { type: 'batch' }>>): SentBatch {
    const actions: Operation['action'][] = [];
    const definitions: ActionDefinition[] = [];
    const ops: WireOp[] = [];
    for (let i = 0; i < size; i++) {
      const op = this.o.workload.next();
      actions.push(op.action);
      definitions.push(op.definition);
      ops.push(encodeOperation(op));
    }
    return {
      actions,
      definitions,
      size,
      bounded: extra.until_ns !== undefined,
      scheduled: extra.schedule !== undefined,
      answer: this.o.process.request({ type: 'batch', ops, ...extra }),
    };
  }

  /** Refuses an answer that does not account for exactly the operations it was sent. */
  private check(batch: SentBatch, answer: WorkerWireMessage): Timings {
    const refuse = (why: string): never => {
      throw new ForeignWorkerError(`${this.o.what} ${why}; its answer is refused`);
    };
    if (answer.type !== 'timings') return refuse(`answered "${answer.type}" to a batch`);
    const { count } = answer;
    if (!Number.isInteger(count) || count < 0 || count > batch.size)
      return refuse(`reported ${count} operations for a batch of ${batch.size}`);
    if (count < batch.size && !batch.bounded)
      return refuse(`reported ${count} operations for a batch of ${batch.size} with no time limit`);
    const lengths = [
      answer.ns?.length,
      answer.end_ns?.length,
      answer.outcomes?.length,
      ...(batch.scheduled ? [answer.service_ns?.length] : []),
    ];
    if (lengths.some((n) => n !== count))
      return refuse(`reported ${count} operations but ${lengths.join('/')} latencies/ends/outcomes`);
    if (!/^[hmte]*$/.test(answer.outcomes)) return refuse('sent outcomes other than h, m, t and e');
    return answer;
  }

  private record(batch: SentBatch, timings: Timings, lastEnd: bigint): bigint {
    const { recorder } = this.o;
    const offset = this.o.clockOffsetNs;
    let end = lastEnd;
    for (let i = 0; i < timings.count; i++) {
      const action = batch.actions[i]!;
      end = BigInt(Math.round(timings.end_ns[i]!)) - offset;
      if (end >= this.intervalEnd) this.closeInterval(end);
      const latency = timings.ns[i]!;
      const service = timings.service_ns?.[i] ?? 0;
      switch (timings.outcomes[i]) {
        case 'h':
          recorder.record(action, latency, false, service);
          break;
        case 'm':
          recorder.record(action, latency, true, service);
          break;
        case 't':
          recorder.timedOut(action, latency, timeoutIsMiss(action), service);
          break;
        default:
          recorder.error(action, timings.errors[String(i)] ?? 'error (the worker gave no message)');
      }
      this.track(batch, timings, i);
    }
    return end;
  }

  private closeInterval(now: bigint): void {
    const actions = this.o.recorder.drain();
    if (Object.keys(actions).length > 0) this.o.onInterval(this.intervalIndex, actions);
    ({ index: this.intervalIndex, end: this.intervalEnd } = intervalAt(now, this.intervalStart, this.o.intervalNs));
  }

  // As the TypeScript loop: an answered operation's bookkeeping sees its value (the worker returns pop's only).
  private track(batch: SentBatch, timings: Timings, i: number): void {
    const outcome = timings.outcomes[i];
    if (outcome !== 'h' && outcome !== 'm') return;
    const definition = batch.definitions[i]!;
    if (definition.after !== undefined) definition.after(decodeValue(timings.values?.[String(i)]), this.context);
  }
}
