/**
 * A worker process: opens its own backend from the provisioned spec, preloads,
 * reports ready, waits for the barrier, warms up, waits for the second barrier,
 * runs its seeded workload and streams its interval histograms to the parent. Started by run-backend.ts via forkModule.
 */
import { waitUntil } from './barrier-clock.js';
import type { Backend } from '../backends/backend.js';
import type { CheckStore } from '../scenarios/check.js';
import { scenarioCheck } from '../scenarios/checks.js';
import { backendSeed, preloadEntries } from '../scenarios/workload.js';
import { isThenable } from '../shared/is-thenable.js';
import { enableWasmHistograms } from './recording-histogram.js';
import { injectDelays } from './injected-delay.js';
import { IntervalRecorder } from './interval-recorder.js';
import { loadBackendFactory } from './load-backend.js';
import type { WorkerConfig } from './protocol.js';
import { measureBarrier, sendToParent as send, serveParent } from './worker-channel.js';
import { loopOptionsFor } from './loop-options.js';
import { WorkerLoop } from './worker-loop.js';

const hrtime = process.hrtime.bigint;
let config: WorkerConfig | undefined;
let backend: Backend | undefined;
let opened = false;

async function settle<T>(value: T | Promise<T>): Promise<T> {
  return isThenable(value) ? await value : value;
}

/**
 * Preload is untimed: a set that gave up on a lock (a store with a short lock
 * timeout, e.g. fanout, while every worker preloads at once) is simply tried
 * again instead of failing the worker.
 */
async function preloadOne(backend: Backend, key: string, value: Parameters<Backend['set']>[1]): Promise<void> {
  for (;;) {
    try {
      await settle(backend.set(key, value));
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'BACKEND_TIMEOUT') throw error;
    }
  }
}

async function init(c: WorkerConfig): Promise<void> {
  config = c;
  await enableWasmHistograms();
  const factory = await loadBackendFactory(c.backend);
  backend = factory.create(c.spec, c.label, { seed: backendSeed(c.seed, c.worker), worker: c.worker });
  if (c.injectedDelays) injectDelays(backend, c.injectedDelays, backendSeed(c.seed, c.worker));
  const missing = c.scenario.capabilities.filter((capability) => !backend!.capabilities.has(capability));
  if (missing.length > 0) {
    send({ type: 'unsupported', missing });
    return;
  }
  await settle(backend.open());
  opened = true;
  // Every worker preloads the same seeded entries: idempotent on a shared store,
  // and necessary on per-process stores such as `memory`.
  if (c.scenario.preload) {
    for (const [key, value] of preloadEntries(c.scenario, c.seed)) await preloadOne(backend, key, value);
  }
  const description = c.worker === 0 ? await settle(backend.describe()) : undefined;
  send({ type: 'ready', readyNs: String(hrtime()), ...(description ? { description } : {}) });
}

async function go(startAtNs: bigint): Promise<void> {
  const c = config!;
  // The parent sets each barrier time a little in the future and sends it to every worker,
  // so the spread of their start is the spread of their clocks' reading, not of IPC.
  await waitUntil(startAtNs);
  send({ type: 'started', startedNs: String(hrtime()) });
  const recorder = new IntervalRecorder(c.ratePerWorker !== null);
  const loop = new WorkerLoop({ backend: backend!, ...loopOptionsFor(c, recorder) });
  // Warm-up first, then a second barrier: workers warm up at different speeds, and measuring
  // must start together, so that every interval holds the same stretch of time for all of them.
  await loop.warmUp();
  send({ type: 'warmed', warmedNs: String(hrtime()) });
  const measureAtNs = await measureBarrier;
  const before = processCounters(backend!);
  await waitUntil(measureAtNs);
  // Interval boundaries count from the shared instant, not this worker's reading of it.
  const outcome = await loop.measure(measureAtNs);
  const after = processCounters(backend!);
  recorder.destroy();
  send({
    type: 'done',
    endNs: String(outcome.endNs),
    ops: outcome.ops,
    metrics: outcome.tally,
    counters: Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - (before[key] ?? 0)])),
  });
}

/**
 * Running counts read before and after the measured operations: the
 * backend's own (e.g. the engine's lock waits) and the times the kernel took
 * the CPU from this process (involuntary context switches: time descheduled).
 */
function processCounters(store: Backend): Record<string, number> {
  const usage = process.resourceUsage();
  return { ...store.counters?.(), involuntaryContextSwitches: usage.involuntaryContextSwitches };
}

/** The store as a scenario check sees it after the run: pops one key after another (none without `pop`). */
function checkStore(store: Backend): CheckStore {
  return {
    async popAll(keys) {
      const values: unknown[] = [];
      if (!store.pop) return values;
      for (const key of keys) values.push(await settle(store.pop(key)));
      return values;
    },
  };
}

// After every worker has finished: the scenario's check runs its part here (e.g. drains what is left).
async function finalize(): Promise<void> {
  const c = config!;
  const check = scenarioCheck(c.scenario);
  const metrics = check && backend ? await check.finalize(checkStore(backend), c.scenario) : {};
  send({ type: 'finalized', metrics });
}

async function exit(): Promise<void> {
  try {
    if (backend && opened) await settle(backend.close());
  } finally {
    process.exit(0);
  }
}

serveParent({ init, go, finalize, exit });
