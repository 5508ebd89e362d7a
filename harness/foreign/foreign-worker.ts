/**
 * The harness worker for a foreign backend: forked by run-backend.ts in place
 * of worker.ts, it speaks the same IPC messages to the parent (ready, started,
 * warmed, interval, done…) and drives one worker process in another language
 * over the foreign protocol (docs/worker-protocol.md). The parent cannot tell
 * the two apart: same barrier, warm-up, histograms and crash handling.
 */
import { waitUntil } from '../barrier-clock.js';
import { scenarioCheck } from '../../scenarios/checks.js';
import type { Scenario } from '../../scenarios/scenario.js';
import { backendSeed, preloadEntries } from '../../scenarios/workload.js';
import { enableWasmHistograms } from '../recording-histogram.js';
import { IntervalRecorder } from '../interval-recorder.js';
import { loadBackendFactory } from '../load-backend.js';
import type { WorkerConfig } from '../protocol.js';
import { measureBarrier, sendToParent as send, serveParent } from '../worker-channel.js';
import { checkOpened, describeForeign } from '../../backends/foreign/foreign-backend.js';
import { isForeignFactory, type ForeignBackendFactory } from '../../backends/foreign/foreign-factory.js';
import { ForeignProcess, ForeignWorkerError } from '../../backends/foreign/foreign-process.js';
import { encodeValue, FOREIGN_PROTOCOL_VERSION, type WireOp } from '../../backends/foreign/foreign-wire.js';
import { FOREIGN_ACTIONS } from './foreign-operations.js';
import { ForeignRun } from './foreign-run.js';
import { loopOptionsFor } from '../loop-options.js';

const hrtime = process.hrtime.bigint;
let config: WorkerConfig | undefined;
let foreign: ForeignProcess | undefined;
let run: ForeignRun | undefined;
let clockOffsetNs = 0n;

/** What a scenario needs that a foreign worker cannot give: capabilities, and actions that are not one wire operation (they run TypeScript around the store). */
function missingFor(scenario: Scenario, factory: ForeignBackendFactory): string[] {
  const missing: string[] = scenario.capabilities.filter((c) => !factory.worker.capabilities.includes(c));
  for (const [action, weight] of Object.entries(scenario.mix)) {
    if ((weight ?? 0) > 0 && !FOREIGN_ACTIONS.has(action))
      missing.push(`${action} (runs in TypeScript; a foreign worker cannot)`);
  }
  const fieldUpdates =
    scenario.record &&
    !scenario.record.writeAllFields &&
    ((scenario.mix.update ?? 0) > 0 || (scenario.mix.rmw ?? 0) > 0);
  if (fieldUpdates) missing.push('one-field updates (writeallfields=false)');
  return missing;
}

/** The worker's clock minus ours, from the round trip with the least delay (its error is at most half of that). */
async function measureClockOffset(worker: ForeignProcess): Promise<bigint> {
  let best: { rtt: bigint; offset: bigint } | undefined;
  for (let i = 0; i < 7; i++) {
    const t0 = hrtime();
    const answer = await worker.request({ type: 'clock' });
    const t1 = hrtime();
    if (answer.type !== 'clock') throw new ForeignWorkerError(`foreign worker answered "${answer.type}" to clock`);
    const offset = BigInt(Math.round(answer.now_ns)) - (t0 + t1) / 2n;
    if (!best || t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset };
  }
  return best!.offset;
}

/** Preload is untimed; writes that gave up on a lock are sent again, as worker.ts does. */
async function preload(
  worker: ForeignProcess,
  entries: Iterable<readonly [string, Parameters<typeof encodeValue>[0]]>,
): Promise<void> {
  let pending: WireOp[] = [...entries].map(([key, value]) => ['set', key, encodeValue(value)]);
  while (pending.length > 0) {
    const retry: WireOp[] = [];
    for (let start = 0; start < pending.length; start += 1_000) {
      const ops = pending.slice(start, start + 1_000);
      const answer = await worker.request({ type: 'batch', ops });
      if (answer.type !== 'timings' || answer.count !== ops.length)
        throw new ForeignWorkerError('foreign worker did not account for its preload batch');
      for (let i = 0; i < ops.length; i++) {
        if (answer.outcomes[i] === 't') retry.push(ops[i]!);
        else if (answer.outcomes[i] === 'e')
          throw new Error(`preload: ${answer.errors[String(i)] ?? 'a write failed'}`);
      }
    }
    pending = retry;
  }
}

async function init(c: WorkerConfig): Promise<void> {
  config = c;
  await enableWasmHistograms();
  const factory = await loadBackendFactory(c.backend);
  if (!isForeignFactory(factory)) throw new Error(`${c.label} is not a foreign backend`);
  const missing = missingFor(c.scenario, factory);
  if (missing.length > 0) {
    send({ type: 'unsupported', missing });
    return;
  }
  const what = `${c.label} worker ${c.worker}`;
  foreign = new ForeignProcess(factory.worker.command(c.spec), what);
  const seed = backendSeed(c.seed, c.worker);
  const opened = checkOpened(
    c.label,
    factory.worker,
    await foreign.request({
      type: 'open',
      protocol: FOREIGN_PROTOCOL_VERSION,
      spec: c.spec,
      label: c.label,
      worker: c.worker,
      seed,
    }),
  );
  clockOffsetNs = await measureClockOffset(foreign);
  if (c.scenario.preload) await preload(foreign, preloadEntries(c.scenario, c.seed));
  const description = c.worker === 0 ? describeForeign(factory.name, c.label, factory.worker, opened) : undefined;
  send({ type: 'ready', readyNs: String(hrtime()), ...(description ? { description } : {}) });
}

async function go(startAtNs: bigint): Promise<void> {
  const c = config!;
  await waitUntil(startAtNs);
  send({ type: 'started', startedNs: String(hrtime()) });
  const recorder = new IntervalRecorder(c.ratePerWorker !== null);
  run = new ForeignRun({
    process: foreign!,
    what: `${c.label} worker ${c.worker}`,
    ...loopOptionsFor(c, recorder),
    clockOffsetNs,
    ...(c.ratePerWorker === null ? {} : { batchOps: Math.min(1_000, Math.ceil(c.ratePerWorker / 10)) }),
  });
  await run.warmUp();
  send({ type: 'warmed', warmedNs: String(hrtime()) });
  // The first measured batch goes out at once and waits in the worker for the barrier instant.
  const outcome = await run.measure(await measureBarrier);
  recorder.destroy();
  send({ type: 'done', endNs: String(outcome.endNs), ops: outcome.ops, metrics: outcome.tally });
}

// After every worker has finished: the scenario's check runs its part through the foreign worker.
async function finalize(): Promise<void> {
  const c = config!;
  const check = scenarioCheck(c.scenario);
  const store = run;
  const metrics = check && store ? await check.finalize({ popAll: (keys) => store.popAll(keys) }, c.scenario) : {};
  send({ type: 'finalized', metrics });
}

async function exit(): Promise<void> {
  try {
    await foreign?.close();
  } finally {
    process.exit(0);
  }
}

serveParent({ init, go, finalize, exit, release: () => foreign?.kill() });
