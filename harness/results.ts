/**
 * The results file: what one `cachebench run` measured, in a versioned JSON
 * schema that reports, compare and sweep read. Latencies are integer
 * nanoseconds. Documented for users in docs/results-schema.md.
 */
import type { BackendDescription } from '../backends/backend.js';

export const RESULTS_SCHEMA = 'cachebench/results';
export const RESULTS_VERSION = 1;

/** Actions the harness times; scenarios may add others (e.g. `read`). */
export type Action = 'get' | 'set' | 'delete' | 'incr' | 'pop' | 'add' | 'read' | 'getMany' | 'setMany' | 'deleteMany' | (string & {});

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  min: number;
  mean: number;
}

export interface ActionResult {
  /** Recorded operations (warm-up excluded). */
  count: number;
  /** get without a value; set/delete/add returning false. */
  misses: number;
  timeouts: number;
  errors: number;
  /** The first few distinct error messages, for the report. */
  errorMessages: string[];
  /** Latency percentiles in ns. In open-loop runs this is measured from the intended start time (coordinated omission corrected). */
  percentiles: Percentiles;
  /** Sum of recorded latencies in ns (diskcache's "Total" column). */
  totalNs: number;
  /** Operations per second over the measured wall time of all workers together. */
  throughput: number;
  /** HDR histogram of latency in ns, compressed base64 (hdr-histogram-js `encodeIntoCompressedBase64`). */
  histogram: string;
  /** Open loop only: the service time (from actual start), same shape. */
  serviceTime?: { percentiles: Percentiles; histogram: string };
}

/** One second of the run (latency-over-time series). */
export interface IntervalSample {
  /** Seconds since the start barrier released the workers. */
  start: number;
  /** Length of the interval in seconds (the last one may be shorter). */
  seconds: number;
  actions: Record<string, { count: number; p50: number; p99: number; max: number; histogram: string }>;
}

export type BackendStatus = 'completed' | 'partial' | 'errored' | 'unavailable';

export interface BackendResult {
  /** The user's spec text, e.g. `fanout:shards=8`; unique within a file. */
  label: string;
  name: string;
  status: BackendStatus;
  /** One line explaining a status other than completed (e.g. "worker 3 exited with code 1"). */
  message?: string;
  description?: BackendDescription;
  /** Wall time from barrier release to the last worker finishing, seconds. */
  wallSeconds: number;
  actions: Record<string, ActionResult>;
  intervals: IntervalSample[];
  /** Scenario-specific figures (e.g. crawler pages/s, hit ratio, lost increments). */
  metrics?: Record<string, number | string | boolean>;
}

export interface Environment {
  node: string;
  platform: string;
  arch: string;
  osRelease: string;
  cpuModel: string;
  cores: number;
  totalMemoryBytes: number;
  freeMemoryBytes: number;
  sqlite: string;
  cachebench: string;
  gitRevision?: string;
  hostname?: string;
  /** Free-form extras (governor, filesystem, noise samples) added by later tools. */
  extra?: Record<string, unknown>;
}

export interface RunParameters {
  procs: number;
  /** Operations per process, or null when the run was bounded by duration. */
  ops: number | null;
  durationSeconds: number | null;
  warmupOps: number;
  /** Target operations per second across all processes (open loop), or null for closed loop. */
  rate: number | null;
  loadModel: 'closed' | 'open';
  seed: number;
}

export interface ResultsFile {
  schema: typeof RESULTS_SCHEMA;
  version: typeof RESULTS_VERSION;
  createdAt: string;
  environment: Environment;
  scenario: { name: string; description: string; parameters: Record<string, unknown> };
  run: RunParameters;
  backends: BackendResult[];
}
