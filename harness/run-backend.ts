import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendDescription, Provisioned } from '../backends/backend.js';
import { ACTIONS } from '../scenarios/actions.js';
import type { ScenarioCheck } from '../scenarios/check.js';
import { scenarioCheck } from '../scenarios/checks.js';
import type { MixAction, Scenario } from '../scenarios/scenario.js';
import { firstLine } from '../shared/first-line.js';
import { applyPlacement, availableCpus, planPlacement, type PlacementRequest } from './cpu-placement.js';
import { filesystemOf } from './filesystem.js';
import { isForeignFactory, workerModuleFor } from '../backends/foreign/foreign-factory.js';
import { markInterrupted, removeOnExit } from './interrupt.js';
import { DEFAULT_NOISE_THRESHOLD_CORES, NoiseSampler, type TrackedProcess } from './host-noise.js';
import type { InjectedDelays } from './injected-delay.js';
import { loadBackendFactory, optionsFor, type BackendChoice } from './load-backend.js';
import type { WorkerConfig, WorkerMessage } from './protocol.js';
import type { BackendResult, HostNoise, Placement, RunParameters } from '../results/results.js';
import { latestP99, summarize } from './summarize.js';
import { WorkerHandle } from './worker-handle.js';

/** What the progress display shows while a backend runs. */
export interface ProgressSnapshot {
  label: string;
  /** What the workers are doing: opening and preloading the store, the untimed warm-up, or the timed operations. */
  phase: 'preload' | 'warm-up' | 'measuring';
  ops: number;
  /** Total measured ops expected, or null for a duration-bounded run. */
  totalOps: number | null;
  elapsedSeconds: number;
  durationSeconds: number | null;
  p99: Record<string, number>;
}

export interface BackendRunOptions {
  choice: BackendChoice;
  scenario: Scenario;
  run: RunParameters;
  /** @default 1000 */
  intervalMs?: number;
  /** How long workers may take to open and preload. @default 120000 */
  readyTimeoutMs?: number;
  /** How far ahead of now the barrier releases the workers. @default 50 */
  barrierLeadMs?: number;
  onProgress?: (snapshot: ProgressSnapshot) => void;
  /** Called with the barrier's timestamps (tests check the ordering). */
  onBarrier?: (barrier: BarrierTimes) => void;
  /** Others' CPU use above this many cores marks an interval noisy. @default 0.25 */
  noiseThresholdCores?: number;
  /** Pin workers and a local server (`--pin`); undefined leaves them to the scheduler. */
  pin?: PlacementRequest;
  /** Aborted on Ctrl-C: the workers are killed and the result is marked interrupted (harness/interrupt.ts). */
  signal?: AbortSignal;
  /** One host's share of a run across several (harness/agents): its workers' indices and barrier instants come from the coordinator. */
  hostShare?: HostShare;
}

/**
 * This host runs workers `firstWorker` … `firstWorker + run.procs - 1` of
 * `totalProcs`, so each worker replays the operation stream it would replay in
 * a local run of `totalProcs`; the two barrier instants (this host's hrtime)
 * are agreed with the other hosts.
 */
export interface HostShare {
  firstWorker: number;
  totalProcs: number;
  /** Called once this host's workers are ready; resolves to the release instant. */
  release(): Promise<bigint>;
  /** Called once this host's workers have warmed up; resolves to the measurement instant. */
  measure(): Promise<bigint>;
  /** Every message a worker sends, by this host's worker index (the agent streams the intervals). */
  onWorkerMessage?(worker: number, message: WorkerMessage): void;
}

export interface BarrierTimes {
  readyNs: bigint[];
  /** First barrier: the workers start warming up. */
  releaseNs: bigint;
  startedNs: (bigint | undefined)[];
  /** When each worker finished warming up. */
  warmedNs: (bigint | undefined)[];
  /** Second barrier: every worker starts measuring here (undefined when none got that far). */
  measureAtNs: bigint | undefined;
}

function hasDelays(choice: BackendChoice): choice is BackendChoice & { injectedDelays: InjectedDelays } {
  return choice.injectedDelays !== undefined && Object.keys(choice.injectedDelays).length > 0;
}

/** Waits with no deadline: a duration run ends by itself, an op-count run takes what it takes, Ctrl-C kills the workers. */
const NO_TIMEOUT = 2 ** 31 - 1;

const hrtime = process.hrtime.bigint;

/**
 * Runs one backend: provision once, fork `procs` workers that each open their
 * own connection, release them together, collect their histograms, tear down.
 * Failures become a status and a one-line message, never an exception, so a
 * run of several backends goes on.
 */
export async function runBackend(options: BackendRunOptions): Promise<BackendResult> {
  const result = await runBackendOnce(options);
  return options.signal?.aborted ? markInterrupted(result) : result;
}

async function runBackendOnce(options: BackendRunOptions): Promise<BackendResult> {
  const { choice, scenario, run } = options;
  const base: BackendResult = {
    label: choice.label,
    name: choice.ref.kind === 'registry' ? choice.ref.name : choice.label,
    status: 'completed',
    wallSeconds: 0,
    actions: {},
    intervals: [],
  };
  if (hasDelays(choice)) base.injectedDelays = { ...choice.injectedDelays };
  if (options.signal?.aborted) return base;
  const directory = await mkdtemp(join(tmpdir(), 'cachebench-'));
  const keepDirectory = removeOnExit(directory);
  let provisioned: Provisioned | undefined;
  try {
    const factory = await loadBackendFactory(choice.ref);
    base.name = factory.name;
    const limit = factory.processLimit;
    if (limit && run.procs > limit.max) {
      const most = `at most ${limit.max} process${limit.max === 1 ? '' : 'es'}`;
      return {
        ...base,
        status: 'unavailable',
        message: `${choice.label} runs with ${most} (${limit.reason}); this run asks for ${run.procs}; run it alone with --procs ${limit.max}`,
      };
    }
    if (hasDelays(choice) && isForeignFactory(factory)) {
      // The spin runs inside a Node worker's call; a foreign worker's calls run in its own process.
      return {
        ...base,
        status: 'unavailable',
        message: `--inject-delay cannot reach ${choice.label}: its operations run in its own ${factory.name} worker process, not in Node; inject into a Node backend`,
      };
    }
    try {
      provisioned = await factory.provision(optionsFor(factory.name, choice, scenario), { directory });
    } catch (error) {
      const e = error as Error & { code?: string };
      const unavailable = e.code === 'BACKEND_UNAVAILABLE' || e.name === 'BackendUnavailableError';
      return { ...base, status: unavailable ? 'unavailable' : 'errored', message: oneLine(e.message) };
    }
    if (options.signal?.aborted) return base;
    return await runWorkers(options, base, provisioned, workerModuleFor(factory));
  } catch (error) {
    return { ...base, status: 'errored', message: oneLine((error as Error).message) };
  } finally {
    await provisioned?.teardown().catch(() => {});
    await rm(directory, { recursive: true, force: true }).catch(() => {});
    keepDirectory();
  }
}

async function runWorkers(
  options: BackendRunOptions,
  base: BackendResult,
  provisioned: Provisioned,
  workerModule: string,
): Promise<BackendResult> {
  const { choice, scenario, run } = options;
  const intervalMs = options.intervalMs ?? 1000;
  let description: BackendDescription | undefined;
  const share = options.hostShare;
  const handles = Array.from(
    { length: run.procs },
    (_, i) =>
      new WorkerHandle(
        i,
        (_handle, message) => {
          if (message.type === 'ready' && message.description) description = message.description;
          share?.onWorkerMessage?.(i, message);
        },
        workerModule,
      ),
  );
  const totalProcs = share?.totalProcs ?? run.procs;
  // Ctrl-C: stop the workers now; every wait below ends because they exited, and what they sent is kept.
  const stop = (): void => handles.forEach((h) => h.kill());
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const config = (worker: number): WorkerConfig => ({
      backend: choice.ref,
      spec: provisioned.spec,
      label: choice.label,
      scenario,
      seed: run.seed,
      worker: (share?.firstWorker ?? 0) + worker,
      procs: totalProcs,
      ops: run.ops,
      durationSeconds: run.durationSeconds,
      warmupOps: run.warmupOps,
      ratePerWorker: run.rate === null ? null : run.rate / totalProcs,
      intervalMs,
      ...(hasDelays(choice) ? { injectedDelays: choice.injectedDelays } : {}),
    });
    handles.forEach((h) => h.send({ type: 'init', config: config(h.index) }));

    // Barrier, phase one: everyone opened and preloaded (or something went wrong).
    options.onProgress?.({
      label: choice.label,
      phase: 'preload',
      ops: 0,
      totalOps: run.ops === null ? null : run.ops * run.procs,
      elapsedSeconds: 0,
      durationSeconds: run.durationSeconds,
      p99: {},
    });
    const readyTimeout = options.readyTimeoutMs ?? 120_000;
    await Promise.all(
      handles.map((h) =>
        h.waitFor(() => h.readyNs !== undefined || h.unsupported !== undefined || h.finished, readyTimeout),
      ),
    );
    const unsupported = handles.find((h) => h.unsupported);
    if (unsupported) {
      return {
        ...base,
        status: 'unavailable',
        message: `${choice.label} lacks ${unsupported.unsupported!.join(', ')}, needed by scenario ${scenario.name}; skipped`,
      };
    }
    const notReady = handles.find((h) => h.readyNs === undefined);
    if (notReady) {
      return {
        ...base,
        status: 'errored',
        message: notReady.failure ?? `worker ${notReady.index} was not ready after ${readyTimeout / 1000} s`,
      };
    }

    // Pinned after ready: by then each worker has started the threads it runs with, and `taskset -a` reaches them all.
    const serverPid = provisioned.serverPid;
    const placement = options.pin ? place(options.pin, handles, serverPid) : undefined;
    const tracked: TrackedProcess[] = [
      { role: 'parent', pid: process.pid },
      ...handles.flatMap((h): TrackedProcess[] =>
        h.child.pid === undefined ? [] : [{ role: 'worker', pid: h.child.pid }],
      ),
      ...[serverPid, ...(provisioned.serverPids ?? [])].flatMap((pid): TrackedProcess[] =>
        pid === undefined ? [] : [{ role: 'server', pid }],
      ),
    ];

    // Phase two: one release time, a little ahead, sent to all; the workers warm up.
    const leadNs = BigInt((options.barrierLeadMs ?? 50) * 1e6);
    const releaseNs = share ? await share.release() : hrtime() + leadNs;
    handles.forEach((h) => h.send({ type: 'go', startAtNs: String(releaseNs) }));
    let measureAtNs: bigint | undefined;
    let hostNoise: HostNoise | undefined;
    const progress = reportProgress(handles, options, intervalMs, () => measureAtNs);
    try {
      // Phase three: everyone warmed up (or gone); measuring starts at one instant for all,
      // so interval 0 holds no warm-up and every interval the same stretch of time for every worker.
      await Promise.all(handles.map((h) => h.waitFor(() => h.warmedNs !== undefined || h.finished, NO_TIMEOUT)));
      const warmed = handles.filter((h) => !h.finished);
      if (warmed.length > 0) {
        measureAtNs = share ? await share.measure() : hrtime() + leadNs;
        const sampler = new NoiseSampler(() => tracked, measureAtNs, intervalMs);
        sampler.start();
        warmed.forEach((h) => h.send({ type: 'measure', measureAtNs: String(measureAtNs) }));
        try {
          await Promise.all(handles.map((h) => h.waitFor(() => h.finished, NO_TIMEOUT)));
        } finally {
          hostNoise = sampler.stop(options.noiseThresholdCores ?? DEFAULT_NOISE_THRESHOLD_CORES);
        }
      }
    } finally {
      progress.stop();
    }
    options.onBarrier?.({
      readyNs: handles.map((h) => h.readyNs!),
      releaseNs,
      startedNs: handles.map((h) => h.startedNs),
      warmedNs: handles.map((h) => h.warmedNs),
      measureAtNs,
    });

    const check = scenarioCheck(scenario);
    const metrics = check && !options.signal?.aborted ? await runCheck(check, handles) : undefined;
    const result = finish(
      base,
      handles,
      { releaseNs, measureAtNs },
      intervalMs,
      description,
      check && metrics ? { check, metrics } : undefined,
    );
    if (hostNoise) result.hostNoise = hostNoise;
    if (placement) result.placement = placement;
    const storage = provisioned.storagePath === undefined ? undefined : filesystemOf(provisioned.storagePath);
    if (storage) result.storage = storage;
    if (provisioned.untrackedServer && result.hostNoise) result.hostNoise.untrackedServer = provisioned.untrackedServer;
    return result;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    handles.forEach((h) => h.send({ type: 'exit' }));
    await Promise.all(handles.map((h) => h.waitFor(() => h.exited, 10_000)));
    handles.forEach((h) => h.kill());
  }
}

/** Progress snapshots every 250 ms (or each interval, if shorter) while the workers run, and a last one at stop. */
function reportProgress(
  handles: WorkerHandle[],
  options: BackendRunOptions,
  intervalMs: number,
  measureAt: () => bigint | undefined,
): { stop(): void } {
  const { run } = options;
  if (!options.onProgress) return { stop: () => {} };
  const totalOps = run.ops === null ? null : run.ops * run.procs;
  const report = (): void => {
    const since = measureAt();
    options.onProgress?.({
      label: options.choice.label,
      phase: since === undefined ? 'warm-up' : 'measuring',
      ops: handles.reduce((sum, h) => sum + h.ops, 0),
      totalOps,
      // Measured time: 0 while the workers warm up.
      elapsedSeconds: since === undefined ? 0 : Math.max(0, Number(hrtime() - since) / 1e9),
      durationSeconds: run.durationSeconds,
      p99: latestP99(handles),
    });
  };
  const timer = setInterval(report, Math.min(250, intervalMs));
  return {
    stop: () => {
      clearInterval(timer);
      report();
    },
  };
}

// The scenario's check after all workers have stopped: each surviving worker finalizes, then the figures of all of them are judged.
async function runCheck(
  check: ScenarioCheck,
  handles: WorkerHandle[],
): Promise<Record<string, number | string | boolean>> {
  const alive = handles.filter((h) => h.failure === undefined);
  alive.forEach((h) => h.send({ type: 'finalize' }));
  await Promise.all(alive.map((h) => h.waitFor(() => h.finalMetrics !== undefined || h.exited, 60_000)));
  return check.metrics(handles.map((h) => ({ tally: h.metrics, final: h.finalMetrics })));
}

function finish(
  base: BackendResult,
  handles: WorkerHandle[],
  barriers: { releaseNs: bigint; measureAtNs: bigint | undefined },
  intervalMs: number,
  description: BackendDescription | undefined,
  checked: { check: ScenarioCheck; metrics: Record<string, number | string | boolean> } | undefined,
): BackendResult {
  const { releaseNs } = barriers;
  const measureAtNs = barriers.measureAtNs ?? releaseNs;
  const ends = handles.map((h) => h.endNs ?? h.exitedAtNs ?? hrtime());
  const lastEnd = ends.reduce((a, b) => (a > b ? a : b));
  const wallSeconds = Number(lastEnd - releaseNs) / 1e9;
  // Every worker measures from the second barrier; a worker that died after it may end before it.
  const measuredSeconds = Math.max(0, Number(lastEnd - measureAtNs) / 1e9);
  const { actions, intervals } = summarize(handles, measuredSeconds, intervalMs / 1000);
  const failures = handles.filter((h) => h.failure !== undefined);
  const result: BackendResult = { ...base, wallSeconds, actions, intervals };
  if (barriers.measureAtNs !== undefined) result.measureStartSeconds = round6(Number(measureAtNs - releaseNs) / 1e9);
  if (description) result.description = description;
  if (checked) result.metrics = checked.metrics;
  // Figures the actions declare from their own summaries (e.g. a crawler's pages/s).
  for (const [name, summary] of Object.entries(actions)) {
    const figures = ACTIONS[name as MixAction]?.metrics?.(summary);
    if (figures && Object.keys(figures).length > 0) result.metrics = { ...result.metrics, ...figures };
  }
  // Then what the workers counted over their measured operations (the backend's own counters, such as the
  // engine's lock waits or a cluster's redirections, and context switches): why a tail is long.
  const counters = sumCounters(handles);
  if (Object.keys(counters).length > 0) result.metrics = { ...result.metrics, ...counters };
  if (failures.length > 0) {
    const any = Object.values(actions).some((a) => a.count > 0);
    result.status = any ? 'partial' : 'errored';
    const more =
      failures.length > 1 ? ` (and ${failures.length - 1} more worker${failures.length > 2 ? 's' : ''})` : '';
    result.message = `${failures[0]!.failure}${more}`;
  } else if (checked) {
    const timeouts = Object.values(actions).reduce((s, a) => s + a.timeouts, 0);
    const failed = checked.check.failure(checked.metrics, timeouts);
    if (failed) {
      result.status = failed.status;
      result.message = failed.message;
    }
  }
  judgeErrors(result);
  return result;
}

/** The workers' counters over their measured operations (backend counters, context switches), summed. */
function sumCounters(handles: WorkerHandle[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const handle of handles) {
    for (const [key, value] of Object.entries(handle.counters)) sums[key] = (sums[key] ?? 0) + value;
  }
  return sums;
}

/**
 * Failed operations fail the backend (docs/measurement.md, "When a run fails"):
 * any error makes it `partial`, errors and no answer at all make it
 * `errored`. Timeouts are answers (a miss) and do not fail it (a store's
 * lock timeout is a measured outcome). A worse status set earlier is kept, and the
 * error count is added to its message.
 */
export function judgeErrors(result: BackendResult): void {
  const actions = Object.values(result.actions);
  const errors = actions.reduce((s, a) => s + a.errors, 0);
  if (errors === 0) return;
  // `count` holds every answer, timeouts included (answer-counts.ts); errors are the rest.
  const attempted = actions.reduce((s, a) => s + a.count + a.errors, 0);
  const answered = actions.reduce((s, a) => s + a.count, 0);
  const first = actions.find((a) => a.errorMessages.length > 0)?.errorMessages[0];
  const text = `${errors} of ${attempted} operations failed${first ? `: ${oneLine(first)}` : ''}`;
  const status = answered === 0 ? 'errored' : 'partial';
  if (result.status === 'completed') {
    result.status = status;
    result.message = text;
  } else {
    if (status === 'errored') result.status = 'errored';
    result.message = result.message ? `${result.message}; ${text}` : text;
  }
}

function place(request: PlacementRequest, handles: readonly WorkerHandle[], serverPid: number | undefined): Placement {
  try {
    const plan = planPlacement(request, handles.length, availableCpus(), serverPid !== undefined);
    return applyPlacement(
      plan,
      handles.map((h) => h.child.pid),
      serverPid,
    );
  } catch (error) {
    // A placement that cannot be made here is recorded and reported; the run goes on unpinned.
    const mode = typeof request === 'object' ? 'explicit' : request;
    return {
      mode,
      method: 'taskset',
      requested: { workers: [] },
      applied: { workers: handles.map(() => null) },
      error: (error as Error).message,
    };
  }
}

function round6(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

function oneLine(text: string): string {
  return firstLine(text).trim();
}
