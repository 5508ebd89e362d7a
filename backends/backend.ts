/**
 * The one interface every store implements. The harness times these calls and
 * never asks which backend it is talking to.
 *
 * Methods return either a plain value (synchronous stores) or a Promise
 * (network stores). The harness awaits only thenables, so a synchronous store
 * pays nothing for the event loop and its figures are not inflated by it.
 */
import { CachebenchError } from '../shared/cachebench-error.js';
export type MaybePromise<T> = T | Promise<T>;

/** Values the harness stores: text or bytes. */
export type Value = string | Uint8Array;

/**
 * Optional abilities a scenario may ask for. A backend that lacks one does not
 * fake it: the capability is absent and the method undefined.
 */
export type Capability = 'expire' | 'incr' | 'pop' | 'add' | 'read' | 'getMany' | 'setMany' | 'deleteMany';

/** How a store makes a write durable, so reports never compare unlike with unlike silently. */
export type Durability = 'fsync-per-write' | 'fsync-at-checkpoint' | 'os-buffered' | 'never' | 'unknown';

/** What a backend says about itself; written verbatim into the results file. */
export interface BackendDescription {
  /** Registry name, e.g. `sqlite`. */
  name: string;
  /** Instance label used in tables and plots, e.g. `fanout:shards=8`. */
  label: string;
  callStyle: 'sync' | 'async';
  durability: Durability;
  capabilities: Capability[];
  /** Version of the store or its client library, e.g. SQLite 3.53.2, Redis 7.0.15. */
  version?: string;
  /**
   * Effective configuration: pragmas, shards, server settings. Plain JSON.
   * Two runs of the same configuration have equal settings (merge checks it),
   * so nothing that differs from run to run belongs here.
   */
  settings: Record<string, string | number | boolean | null>;
  /**
   * Where this run's instance lived: temp directories and files, the URL and
   * pid of a private server. These differ on every run of one configuration,
   * so merge, compare and sweep ignore them; reports may show them.
   */
  instance?: Record<string, string | number | boolean | null>;
}

export interface Backend {
  readonly name: string;
  readonly label: string;
  readonly callStyle: 'sync' | 'async';
  readonly capabilities: ReadonlySet<Capability>;

  open(): MaybePromise<void>;
  close(): MaybePromise<void>;

  /** Resolves to `undefined` on a miss. */
  get(key: string): MaybePromise<Value | undefined>;
  /** `expireSeconds` is honoured only with the `expire` capability. Returns false when the store declined the write. */
  set(key: string, value: Value, expireSeconds?: number): MaybePromise<boolean>;
  /** Returns false when the key was absent. */
  delete(key: string): MaybePromise<boolean>;
  /** Removes every entry this backend stored (used between runs and by preload). */
  clear(): MaybePromise<void>;

  /**
   * Adds `delta` and returns the new value. Most stores start a missing counter
   * at 0; `filebased` follows Django and throws (the harness counts an error).
   */
  incr?(key: string, delta: number): MaybePromise<number>;
  pop?(key: string): MaybePromise<Value | undefined>;
  add?(key: string, value: Value, expireSeconds?: number): MaybePromise<boolean>;
  /** Streams a stored value (static file serving); `undefined` on a miss. */
  read?(key: string): MaybePromise<NodeJS.ReadableStream | undefined>;
  getMany?(keys: readonly string[]): MaybePromise<(Value | undefined)[]>;
  setMany?(entries: readonly (readonly [string, Value])[]): MaybePromise<number>;
  deleteMany?(keys: readonly string[]): MaybePromise<number>;

  describe(): MaybePromise<BackendDescription>;

  /**
   * Optional: running counts the store keeps about its own work since open
   * (the engine's lock waits, slow commits and checkpoints; a cluster
   * client's redirections and operations per node). A worker reads them
   * before and after its measured operations; the result's `metrics` hold the
   * difference summed over workers, so every figure must be a count that sums
   * and a report can say why a tail is long. Read outside the timed
   * operations, so it may take locks.
   */
  counters?(): Record<string, number>;
}

/**
 * Thrown by a backend when an operation gave up waiting for a lock or a server
 * within its timeout. The harness counts it as a timeout, not an error.
 */
export class BackendTimeoutError extends CachebenchError<'BACKEND_TIMEOUT'> {
  constructor(message: string) {
    super('BACKEND_TIMEOUT', message);
  }
}

/**
 * Thrown by `provision` when a store cannot be used here (no server, no binary).
 * The message is one line naming the fix; a run of several backends goes on without it.
 */
export class BackendUnavailableError extends CachebenchError<'BACKEND_UNAVAILABLE'> {
  constructor(message: string) {
    super('BACKEND_UNAVAILABLE', message);
  }
}

/**
 * Thrown when a networked store's connection is lost or refused mid-run (the
 * server died). The message names the server and says what happened; the
 * harness counts it as an error, and the client fails fast instead of
 * queueing, so a dead server never hangs a run.
 */
export class BackendConnectionError extends CachebenchError<'BACKEND_CONNECTION'> {
  constructor(message: string) {
    super('BACKEND_CONNECTION', message);
  }
}

/** Options parsed from `name:key=value,...` or a config file; values keep their text until the factory validates them. */
export type BackendOptions = Record<string, string>;

/** A plain-JSON description of how a worker process opens its own connection to a provisioned store. */
export type BackendSpec = Record<string, string | number | boolean | null>;

export interface ProvisionContext {
  /** A fresh directory the parent owns for this backend's files; removed after the run. */
  directory: string;
}

export interface Provisioned {
  spec: BackendSpec;
  /**
   * The pid of a server on this machine the workers talk to (a private
   * redis-server, or an external one whose pid is known): its CPU counts as
   * the run's own, not as host noise, and `--pin` places it.
   */
  serverPid?: number;
  /**
   * Further server processes of the store on this machine (a private
   * cluster's other nodes): their CPU counts as the run's own too. `--pin`
   * places `serverPid` only.
   */
  serverPids?: number[];
  /**
   * A server the run uses whose process is not known here (remote, in a
   * container, another user's): its CPU on this machine counts as host noise.
   * One line naming it, shown in the measurement notes.
   */
  untrackedServer?: string;
  /** Where the store keeps its files: the run records that filesystem (NFS warnings). */
  storagePath?: string;
  /** Stops servers and removes files the provision created. Safe to call twice. */
  teardown(): Promise<void>;
}

/** Documentation of one open option, shown by `cachebench backends` and `--help`. */
export interface OptionDoc {
  description: string;
  default?: string;
}

/**
 * What the harness tells `create` about the worker the backend runs in.
 * Optional: tests and tools may create a backend outside a run.
 */
export interface CreateContext {
  /**
   * A seed for random choices the backend makes itself (e.g. filebased's
   * culling), derived from the run's `--seed` and the worker index, so a
   * seeded run repeats them and workers do not all make the same choices.
   */
  seed: number;
  /** The worker's 0-based index. */
  worker: number;
}

/**
 * One registry entry. `provision` runs once in the parent (creates a directory,
 * starts a private server); `create` runs in each worker process and returns an
 * unopened Backend for the spec.
 */
export interface BackendFactory {
  name: string;
  summary: string;
  options: Record<string, OptionDoc>;
  /**
   * The most worker processes the store allows at once (LevelDB locks its
   * directory: 1). The harness reports a run asking for more as unavailable,
   * naming the limit and the reason, instead of running fewer processes than
   * it was asked to.
   * Absent: no limit.
   */
  processLimit?: { max: number; reason: string };
  /**
   * Checks the options without touching anything (no files, servers or
   * network) and throws a BackendSpecError naming the backend and the option
   * as the user spelled it. `cachebench run` calls it for every backend
   * before the first one runs, so a typo in the last backend fails at once
   * (exit 2) instead of after the others were measured. `provision` must
   * reject the same options (it may share the parsing). Optional for module
   * backends: without it, bad options are found when provision runs.
   */
  validate?(options: BackendOptions): void;
  /** Throws BackendUnavailableError with a one-line hint when the store cannot run here; throws on bad options. */
  provision(options: BackendOptions, context: ProvisionContext): Promise<Provisioned>;
  /**
   * `label` is the user's spec text (e.g. `fanout:shards=8`), used in tables and plots.
   * `context` (absent outside a run) carries the worker's derived seed.
   */
  create(spec: BackendSpec, label: string, context?: CreateContext): Backend;
}
