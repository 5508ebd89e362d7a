/**
 * The harness's floor for each call style: the same in-process Map
 * timed through the worker loop once as a plain synchronous call and once
 * behind an awaited Promise. The difference is what the event loop adds to
 * every async backend's figure before any I/O happens, so a report can show
 * it instead of hiding it inside redis's or memcached's numbers.
 */
import type { Backend, Capability, Value } from '../backends/backend.js';
import { MemoryBackend } from '../backends/memory.js';
import { getScenario } from '../scenarios/registry.js';
import type { Scenario } from '../scenarios/scenario.js';
import { Workload, preloadEntries } from '../scenarios/workload.js';
import { enableWasmHistograms } from './recording-histogram.js';
import { IntervalRecorder } from './interval-recorder.js';
import type { ActionPayload } from './protocol.js';
import type { CallFloor, CallFloors } from '../results/results.js';
import { summarize } from './summarize.js';
import { WorkerLoop } from './worker-loop.js';

export interface CallFloorOptions {
  /** Measured gets per style and round. @default 20000 */
  ops?: number;
  /** Rounds, alternating the styles so a burst of host noise lands on both. @default 3 */
  rounds?: number;
  /** @default 5000 */
  warmupOps?: number;
}

/** The memory backend behind promises: what every async store pays at least, before any I/O. */
class AwaitedMemory implements Backend {
  readonly name = 'memory';
  readonly callStyle = 'async';
  readonly capabilities: ReadonlySet<Capability>;
  constructor(private readonly inner: MemoryBackend) {
    this.capabilities = inner.capabilities;
  }
  get label(): string {
    return 'memory (awaited)';
  }
  open(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve(this.inner.close());
  }
  get(key: string): Promise<Value | undefined> {
    return Promise.resolve(this.inner.get(key));
  }
  set(key: string, value: Value): Promise<boolean> {
    return Promise.resolve(this.inner.set(key, value));
  }
  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.inner.delete(key));
  }
  clear(): Promise<void> {
    return Promise.resolve(this.inner.clear());
  }
  describe(): ReturnType<MemoryBackend['describe']> {
    return this.inner.describe();
  }
}

function getOnly(): Scenario {
  const talk = getScenario('talk');
  return { ...talk, name: 'call-floor', keys: { count: 100, distribution: { kind: 'uniform' } }, mix: { get: 1 } };
}

async function timeGets(
  backend: Backend,
  scenario: Scenario,
  ops: number,
  warmupOps: number,
  seed: number,
): Promise<{ index: number; actions: Record<string, ActionPayload> }[]> {
  for (const [key, value] of preloadEntries(scenario, seed)) await backend.set(key, value);
  const recorder = new IntervalRecorder(false);
  const intervals: { index: number; actions: Record<string, ActionPayload> }[] = [];
  const loop = new WorkerLoop({
    backend,
    workload: new Workload(scenario, seed, 0, 1),
    recorder,
    warmupOps,
    ops,
    durationNs: null,
    open: null,
    // One interval for the whole round: the series is not wanted, only the histogram.
    intervalNs: 3_600_000_000_000n,
    onInterval: (index, actions) => intervals.push({ index, actions }),
    onProgress: () => {},
  });
  await loop.run();
  recorder.destroy();
  return intervals;
}

function floorOf(
  style: 'sync' | 'async',
  intervals: { index: number; actions: Record<string, ActionPayload> }[],
): CallFloor {
  const { actions } = summarize([{ intervals }], 0, 1);
  const get = actions.get!;
  return { style, count: get.count, percentiles: get.percentiles, histogram: get.histogram };
}

/**
 * Measures both floors in this process, with the workers' kind of histogram
 * (WASM), through the workers' own loop, so the recording cost matches theirs.
 */
export async function measureCallFloors(options: CallFloorOptions = {}): Promise<CallFloors> {
  const ops = options.ops ?? 20_000;
  const rounds = options.rounds ?? 3;
  const warmupOps = options.warmupOps ?? 5_000;
  await enableWasmHistograms();
  const scenario = getOnly();
  const sync: { index: number; actions: Record<string, ActionPayload> }[] = [];
  const awaited: { index: number; actions: Record<string, ActionPayload> }[] = [];
  for (let round = 0; round < rounds; round++) {
    sync.push(...(await timeGets(new MemoryBackend(), scenario, ops, warmupOps, round + 1)));
    awaited.push(...(await timeGets(new AwaitedMemory(new MemoryBackend()), scenario, ops, warmupOps, round + 1)));
  }
  return {
    method: `memory backend get through the worker loop in the parent process, ${rounds} alternating rounds of ${ops} ops per style: a plain call (sync) vs an awaited Promise.resolve (async)`,
    sync: floorOf('sync', sync),
    async: floorOf('async', awaited),
  };
}
