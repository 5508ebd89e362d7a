/**
 * The results file: what one `cachebench run` measured, in a versioned JSON
 * schema that reports, compare and sweep read. Latencies are integer
 * nanoseconds. Documented for users in docs/results-schema.md; the JSON
 * Schema in results.schema.json describes the same layout for other tools.
 */
import type { HostPart } from './host-part.js';

export const RESULTS_SCHEMA = 'cachebench/results';
export const RESULTS_VERSION = 1;

/** Actions the harness times; scenarios may add others (e.g. `read`). */
export type Action =
  'get' | 'set' | 'delete' | 'incr' | 'pop' | 'add' | 'read' | 'getMany' | 'setMany' | 'deleteMany' | (string & {});

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
  /**
   * Answered operations (warm-up excluded): hits, misses and, in files with
   * `run.timeoutsTimed`, timeouts — the histogram's values. Errors are never
   * in it. Read counts through `answerCounts` (answer-counts.ts), which gives
   * older files the same meaning.
   */
  count: number;
  /** get without a value; set/delete/add returning false; with `run.timeoutsTimed`, timeouts of every action but incr. */
  misses: number;
  /** Operations that threw BackendTimeoutError: with `run.timeoutsTimed` a subset of `count` (timed); in older files apart from it (untimed). */
  timeouts: number;
  /** Operations that threw anything else: never timed, never in `count`. */
  errors: number;
  /** The first few distinct error messages, for the report. */
  errorMessages: string[];
  /** Latency percentiles in ns. In open-loop runs this is measured from the intended start time (coordinated omission corrected). */
  percentiles: Percentiles;
  /** Sum of recorded latencies in ns (diskcache's "Total" column). */
  totalNs: number;
  /** `count` per second over the measured wall time of all workers together (answers per second). */
  throughput: number;
  /** HDR histogram of latency in ns, compressed base64 (hdr-histogram-js `encodeIntoCompressedBase64`). */
  histogram: string;
  /** Open loop only: the service time (from actual start), same shape. */
  serviceTime?: { percentiles: Percentiles; histogram: string };
}

/** One second of the run (latency-over-time series). */
export interface IntervalSample {
  /**
   * Seconds since the measurement start (`measureStartSeconds` after the
   * barrier release). Files without `measureStartSeconds` counted from the
   * barrier release, and their interval 0 included the warm-up.
   */
  start: number;
  /** Length of the interval in seconds (the last one may be shorter). */
  seconds: number;
  /** `errors`: operations of the action that failed in this interval (absent: none; in files before it, not recorded). */
  actions: Record<string, { count: number; p50: number; p99: number; max: number; histogram: string; errors?: number }>;
}

/** How a store makes a write durable (backends/backend.ts `Durability`, as written into the file). */
export type RecordedDurability = 'fsync-per-write' | 'fsync-at-checkpoint' | 'os-buffered' | 'never' | 'unknown';

/** What a backend said about itself (backends/backend.ts `BackendDescription`), as written into the file. */
export interface RecordedDescription {
  /** Registry name, e.g. `sqlite`. */
  name: string;
  /** Instance label used in tables and plots, e.g. `fanout:shards=8`. */
  label: string;
  callStyle: 'sync' | 'async';
  durability: RecordedDurability;
  capabilities: string[];
  /** Version of the store or its client library, e.g. SQLite 3.53.2, Redis 7.0.15. */
  version?: string;
  /** Effective configuration; equal for two runs of one configuration (merge checks it). */
  settings: Record<string, string | number | boolean | null>;
  /** Where this run's instance lived (temp paths, a private server's URL and pid); differs on every run. */
  instance?: Record<string, string | number | boolean | null>;
}

export type BackendStatus = 'completed' | 'partial' | 'errored' | 'unavailable';

export interface BackendResult {
  /** The user's spec text, e.g. `fanout:shards=8`; unique within a file. */
  label: string;
  name: string;
  status: BackendStatus;
  /** One line explaining a status other than completed (e.g. "worker 3 exited with code 1"). */
  message?: string;
  description?: RecordedDescription;
  /** Wall time from barrier release to the last worker finishing, seconds. */
  wallSeconds: number;
  /**
   * Optional (absent in files written before the second barrier, and when no
   * worker finished warming up): seconds from the barrier release to the
   * instant every worker started measuring (the warm-up and the barrier's
   * lead). Intervals and host-noise samples count from there.
   */
  measureStartSeconds?: number;
  actions: Record<string, ActionResult>;
  intervals: IntervalSample[];
  /** Scenario-specific figures (e.g. crawler pages/s, hit ratio, lost increments). */
  metrics?: Record<string, number | string | boolean>;
  /** Optional: CPU used outside the run while this backend ran; absent where /proc/stat is not readable. */
  hostNoise?: HostNoise;
  /** Optional: `--pin` placement, requested and as read back from the kernel. */
  placement?: Placement;
  /** Optional: the filesystem of the backend's directory, when its spec names one. */
  storage?: FilesystemInfo;
  /**
   * Present only when the run injected a regression on purpose (`--inject-delay`):
   * by backend method, the extra nanoseconds spun inside it and the share of its
   * calls that waited them, so its latencies include them. Reports and compare
   * say so wherever they show this backend.
   */
  injectedDelays?: Record<string, { ns: number; share: number }>;
  /** Present only in runs driven through agents (`run --agents`): each load host's part; the figures above are their merge. */
  hosts?: HostPart[];
}

/** CPU use outside the run over one sampling interval (the same boundaries as `intervals`). */
export interface NoiseSample {
  /** Seconds since the measurement start, as interval starts (older files: since the barrier release). */
  start: number;
  seconds: number;
  /** Cores' worth of CPU used by other processes: host busy time (/proc/stat) minus the run's own processes. */
  othersCores: number;
  /** Cores' worth used by the run's own processes (parent, workers, local server). */
  runCores: number;
  /** Cores' worth a hypervisor gave to other guests (steal); judged as noise with othersCores. */
  stealCores: number;
}

export interface HostNoise {
  /** Samples whose othersCores + stealCores exceed this are noisy (`--noise-threshold`, default 0.25). */
  thresholdCores: number;
  samples: NoiseSample[];
  /** Indexes into `samples` judged noisy (samples under 0.2 s are recorded, not judged). */
  noisyIntervals: number[];
  maxOthersCores: number;
  /** Time-weighted mean of othersCores + stealCores. */
  meanOthersCores: number;
  /** The processes counted as the run's own. */
  tracked: { role: 'parent' | 'worker' | 'server'; pid: number }[];
  /** A server the run used whose process is not known here: its CPU on this machine counted as others (noise). */
  untrackedServer?: string;
  /** `--retry-noisy`: every attempt's figures, in order; `keptAttempt` (0-based) is the one these results are from. */
  attempts?: { maxOthersCores: number; meanOthersCores: number; noisyIntervals: number }[];
  keptAttempt?: number;
  /** `--wait-idle`: how long the run waited before starting, and whether the host became quiet. */
  idleWait?: { waitedSeconds: number; quiet: boolean; othersCores: number };
}

export interface Placement {
  /**
   * `same`: workers and server on one CPU; `separate`: server on its own CPU, workers on the others;
   * `explicit` (`--pin client=…,server=…`): the CPU lists the user gave.
   */
  mode: 'same' | 'separate' | 'explicit';
  method: string;
  /** CPU lists asked for, per worker and for the local server (absent: no local server). */
  requested: { workers: string[]; server?: string };
  /** Cpus_allowed_list read back from /proc/<pid>/status after pinning; null when unreadable. */
  applied: { workers: (string | null)[]; server?: string | null };
  /** Why pinning did not (fully) happen; the run went on. */
  error?: string;
}

export interface FilesystemInfo {
  path: string;
  mountPoint: string;
  /** As in /proc/mounts: ext4, tmpfs, nfs4, fuse.sshfs, … */
  type: string;
  device: string;
  network: boolean;
  /** Set for network filesystems (NFS, SMB, sshfs): why the figures, and SQLite's locking, are suspect there. */
  warning?: string;
}

/** The harness's floor per call style: the same Map timed as a sync call and behind an awaited Promise. */
export interface CallFloor {
  style: 'sync' | 'async';
  count: number;
  percentiles: Percentiles;
  histogram: string;
}

export interface CallFloors {
  method: string;
  sync: CallFloor;
  async: CallFloor;
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
  /** Optional: CPU frequency governor (cpufreq scaling_governor), when readable. */
  cpuGovernor?: string;
  /** Optional: the CPU clock in MHz from /proc/cpuinfo, when readable. */
  cpuMHz?: number;
  /** Optional: the kernel's build string (`os.version()`); `osRelease` is its release. */
  kernelVersion?: string;
  /** Optional: the filesystem of the directory backends keep their files in (the OS temp dir). */
  cacheFilesystem?: FilesystemInfo;
  /** Free-form extras added by later tools. */
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
  /** Optional: how measurement quality was guarded. */
  measurement?: MeasurementParameters;
  /**
   * Added when timed-out operations became timed answers (optional; every run
   * writes `true`): timeouts are in `count`, the histograms and `misses`.
   * Absent in older files, whose timeouts were counted apart and untimed.
   */
  timeoutsTimed?: boolean;
}

export interface MeasurementParameters {
  noiseThresholdCores: number;
  /** `--wait-idle` seconds (0: no wait). */
  waitIdleSeconds: number;
  /** `--retry-noisy` reruns allowed per backend. */
  retryNoisy: number;
  /** `--pin`, or null when processes were left where the scheduler put them. Explicit lists in canonical text, e.g. `client=0,server=1`. */
  pin: 'same' | 'separate' | 'both' | `client=${string}` | null;
}

export interface ResultsFile {
  schema: typeof RESULTS_SCHEMA;
  version: typeof RESULTS_VERSION;
  createdAt: string;
  environment: Environment;
  scenario: { name: string; description: string; parameters: Record<string, unknown> };
  run: RunParameters;
  backends: BackendResult[];
  /** Optional: the harness's measured floor for sync and async calls, measured in the same run. */
  callFloors?: CallFloors;
}
