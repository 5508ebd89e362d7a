import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackendDescription, Provisioned } from '../backends/backend.js';
import type { ScenarioCheck } from '../scenarios/check.js';
import { scenarioCheck } from '../scenarios/checks.js';
import type { Scenario } from '../scenarios/scenario.js';
import { firstLine } from '../shared/first-line.js';
import type { PlacementRequest } from './cpu-placement.js';
import { filesystemOf } from './filesystem.js';
import { isForeignFactory, workerModuleFor } from '../backends/foreign/foreign-factory.js';
import { markInterrupted, removeOnExit } from './interrupt.js';
import { DEFAULT_NOISE_THRESHOLD_CORES, NoiseSampler, type TrackedProcess } from './host-noise.js';
import type { InjectedDelays } from './injected-delay.js';
import { loadBackendFactory, optionsFor, type BackendChoice } from './load-backend.js';
import type { WorkerConfig, WorkerMessage } from './protocol.js';
import type { BackendResult, HostNoise, RunParameters } from '../results/results.js';
import { finishResult } from './finish-result.js';
import { placeWorkers } from './place-workers.js';
import { reportProgress, type ProgressSnapshot } from './progress-report.js';

import { WorkerHandle } from './worker-handle.js';

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
      return { ...base, status: unavailable ? 'unavailable' : 'errored', message: firstLine(e.message).trim() };
    }
    if (options.signal?.aborted) return base;
    return await runWorkers(options, base, provisioned, workerModuleFor(factory));
  } catch (error) {
    return { ...base, status: 'errored', message: firstLine((error as Error).message).trim() };
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
    const placement = options.pin ? placeWorkers(options.pin, handles, serverPid) : undefined;
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
    const result = finishResult(
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
