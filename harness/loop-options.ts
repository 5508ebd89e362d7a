import { Workload } from '../scenarios/workload.js';
import type { IntervalRecorder } from './interval-recorder.js';
import type { WorkerConfig } from './protocol.js';
import { sendToParent as send } from './worker-channel.js';
import type { LoopOptions } from './worker-loop.js';

/**
 * The timed loop's settings from a worker's config, the same for a worker that calls its backend in-process
 * and one that drives another language's worker: its share of the seeded operations, the counts or duration,
 * its place in an open loop's schedule, and the interval and progress messages to the parent.
 */
export function loopOptionsFor(c: WorkerConfig, recorder: IntervalRecorder): Omit<LoopOptions, 'backend'> {
  return {
    // The operation count sizes YCSB's zipfian for the inserts to come; a timed run leaves it to the scenario.
    workload: new Workload(c.scenario, c.seed, c.worker, c.procs, c.ops === null ? undefined : c.warmupOps + c.ops),
    recorder,
    warmupOps: c.warmupOps,
    ops: c.ops,
    durationNs: c.durationSeconds === null ? null : BigInt(Math.round(c.durationSeconds * 1e9)),
    open:
      c.ratePerWorker === null
        ? null
        : { periodNs: 1e9 / c.ratePerWorker, offsetNs: (c.worker / c.procs) * (1e9 / c.ratePerWorker) },
    intervalNs: BigInt(Math.round(c.intervalMs * 1e6)),
    onInterval: (index, actions) => send({ type: 'interval', index, actions }),
    onProgress: (ops) => send({ type: 'progress', ops }),
  };
}
