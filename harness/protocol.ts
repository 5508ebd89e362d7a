/**
 * Messages between the parent (run-backend.ts) and its workers (worker.ts).
 * Everything is plain JSON over the fork IPC channel; nanosecond timestamps
 * travel as decimal strings because JSON has no bigint.
 */
import type { BackendDescription, BackendSpec } from '../backends/backend.js';
import type { Scenario } from '../scenarios/scenario.js';
import type { InjectedDelays } from './injected-delay.js';
import type { BackendRef } from './load-backend.js';

export interface WorkerConfig {
  backend: BackendRef;
  spec: BackendSpec;
  label: string;
  scenario: Scenario;
  seed: number;
  worker: number;
  procs: number;
  /** Measured operations for this worker, or null when bounded by duration. */
  ops: number | null;
  durationSeconds: number | null;
  warmupOps: number;
  /** Open loop: this worker's operations per second; null for closed loop. */
  ratePerWorker: number | null;
  intervalMs: number;
  /** Extra nanoseconds spun inside chosen backend methods (`--inject-delay`); absent: none. */
  injectedDelays?: InjectedDelays;
}

/** Counts and histograms of one action over one interval. */
export interface ActionPayload {
  count: number;
  misses: number;
  timeouts: number;
  errors: number;
  errorMessages: string[];
  /** Sum of recorded latencies in ns. */
  totalNs: number;
  histogram: string;
  /** Open loop only. */
  serviceHistogram?: string;
}

export type ParentMessage =
  | { type: 'init'; config: WorkerConfig }
  | { type: 'go'; startAtNs: string }
  /** The second barrier: every worker has warmed up; all start measuring at `measureAtNs`. */
  | { type: 'measure'; measureAtNs: string }
  | { type: 'finalize' }
  | { type: 'exit' };

export type WorkerMessage =
  | { type: 'ready'; readyNs: string; description?: BackendDescription }
  /** The backend lacks capabilities the scenario needs; the worker then waits for `exit`. */
  | { type: 'unsupported'; missing: string[] }
  | { type: 'started'; startedNs: string }
  /** Warm-up done; the worker waits for `measure`. */
  | { type: 'warmed'; warmedNs: string }
  | { type: 'progress'; ops: number }
  /** `index`: whole intervals since the measurement start (the second barrier). */
  | { type: 'interval'; index: number; actions: Record<string, ActionPayload> }
  /** `endNs`: the last op's end (the measurement start is the parent's own measureAtNs). */
  /**
   * `counters`: what the worker's process and its backend counted over the
   * measured operations (backend.counters() and getrusage, after minus before);
   * the parent sums them over workers into the result's metrics.
   */
  | { type: 'done'; endNs: string; ops: number; metrics: Record<string, number>; counters?: Record<string, number> }
  | { type: 'finalized'; metrics: Record<string, number> }
  | { type: 'failed'; message: string };
