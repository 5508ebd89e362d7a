/**
 * The harness's own cost: the `memory` backend run through the full harness
 * (fork, barrier, clock reads, WASM histogram recording) against a bare loop
 * over the same Map in this process. Other helpers load the CPU, so read the
 * ratios; the absolute figures move with the load.
 *
 * Beside it, the foreign worker protocol's floor: `py-dict` (a dict inside
 * the Python worker, docs/worker-protocol.md) through the same harness,
 * against a bare Python loop over a dict timed the way the worker times.
 *
 *   npm run bench:harness
 */
import { spawnSync } from 'node:child_process';
import { MemoryBackend } from '../backends/memory.js';
import { findPython } from '../backends/python/python-worker.js';
import { enableWasmHistograms, createHistogram } from '../harness/recording-histogram.js';
import { parseBackendChoices } from '../harness/load-backend.js';
import { runBenchmark } from '../harness/run-benchmark.js';
import { getScenario } from '../scenarios/registry.js';

const OPS = 200_000;
const KEYS = 100;
const TARGET_MEDIAN_NS = 500;
const hrtime = process.hrtime.bigint;

function bareLoop(): { perGetNs: number; timedMedianNs: number; clockPairNs: number } {
  const backend = new MemoryBackend();
  const keys = Array.from({ length: KEYS }, (_, i) => String(i));
  for (const key of keys) backend.set(key, key.repeat(50));
  let sink = 0;
  // Untimed: the cost of the get alone, averaged.
  const t0 = hrtime();
  for (let i = 0; i < OPS; i++) sink += (backend.get(keys[i % KEYS]!) as string).length;
  const perGetNs = Number(hrtime() - t0) / OPS;
  // Each get timed with a clock pair into a WASM histogram, as a worker does, minus IPC and the workload generator.
  const histogram = createHistogram();
  for (let i = 0; i < OPS; i++) {
    const a = hrtime();
    sink += (backend.get(keys[i % KEYS]!) as string).length;
    histogram.recordValue(Number(hrtime() - a));
  }
  const timedMedianNs = histogram.getValueAtPercentile(50);
  histogram.destroy();
  const c0 = hrtime();
  for (let i = 0; i < OPS; i++) sink += Number(hrtime() - hrtime()) === 0 ? 1 : 0;
  const clockPairNs = Number(hrtime() - c0) / OPS;
  if (sink === -1) console.log('unreachable'); // keeps the loops from being optimised away
  return { perGetNs, timedMedianNs, clockPairNs };
}

/** The same three figures for a dict in Python, measured by Python itself (perf_counter_ns, as the worker). */
function barePythonLoop(python: string): { perGetNs: number; timedMedianNs: number; clockPairNs: number } {
  const program = `
import json, time
clock = time.perf_counter_ns
d = {str(i): str(i) * 50 for i in range(${KEYS})}
keys = [str(i % ${KEYS}) for i in range(${OPS})]
get = d.get
t0 = clock()
for k in keys: get(k)
per_get = (clock() - t0) / ${OPS}
samples = []
for k in keys:
    a = clock(); get(k); samples.append(clock() - a)
samples.sort()
t0 = clock()
for _ in range(${OPS}): clock() - clock()
pair = (clock() - t0) / ${OPS}
print(json.dumps({"perGetNs": per_get, "timedMedianNs": samples[len(samples) // 2], "clockPairNs": pair}))
`;
  const out = spawnSync(python, ['-c', program], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`python bare loop failed: ${out.stderr.split('\n')[0]}`);
  return JSON.parse(out.stdout) as { perGetNs: number; timedMedianNs: number; clockPairNs: number };
}

await enableWasmHistograms();
const bare = bareLoop();
const scenario = { ...getScenario('talk'), name: 'get-only', mix: { get: 1 } };
const results = await runBenchmark({
  scenario,
  backends: parseBackendChoices('memory'),
  run: { procs: 1, ops: OPS, durationSeconds: null, warmupOps: 10_000, rate: null, loadModel: 'closed', seed: 1 },
});
const get = results.backends[0]!.actions.get!;
const harnessMedian = get.percentiles.p50;

const row = (label: string, ns: number): string =>
  `${label.padEnd(46)} ${ns.toFixed(1).padStart(8)} ns   ×${(ns / bare.perGetNs).toFixed(2)}`;
console.log(`memory backend, ${OPS.toLocaleString('en-US')} gets over ${KEYS} keys (ratios against the bare get)`);
console.log(row('bare loop: Map get, untimed (mean)', bare.perGetNs));
console.log(row('bare loop: hrtime.bigint() pair (mean)', bare.clockPairNs));
console.log(row('bare loop: get timed into a WASM histogram (p50)', bare.timedMedianNs));
console.log(row('harness: recorded get (p50)', harnessMedian));
console.log(
  `harness p99 ${get.percentiles.p99} ns, p99.9 ${get.percentiles.p999} ns, throughput ${Math.round(get.throughput).toLocaleString('en-US')} ops/s`,
);
console.log(
  `target: recorded get median ≤ ${TARGET_MEDIAN_NS} ns — ${harnessMedian <= TARGET_MEDIAN_NS ? 'met' : 'NOT met'}`,
);

let python: string | undefined;
try {
  python = findPython('bench:harness', 'json', 'python3');
} catch (error) {
  console.log(`\nforeign worker floor skipped: ${(error as Error).message}`);
}
if (python) {
  const pyBare = barePythonLoop(python);
  const pyResults = await runBenchmark({
    scenario,
    backends: parseBackendChoices('py-dict'),
    run: { procs: 1, ops: OPS, durationSeconds: null, warmupOps: 10_000, rate: null, loadModel: 'closed', seed: 1 },
  });
  const pyGet = pyResults.backends[0]!.actions.get!;
  const pyRow = (label: string, ns: number): string =>
    `${label.padEnd(46)} ${ns.toFixed(1).padStart(8)} ns   ×${(ns / pyBare.perGetNs).toFixed(2)}`;
  console.log(
    `\npy-dict through the foreign worker protocol, ${OPS.toLocaleString('en-US')} gets (ratios against the bare Python get)`,
  );
  console.log(pyRow('bare loop: dict.get, untimed (mean)', pyBare.perGetNs));
  console.log(pyRow('bare loop: perf_counter_ns() pair (mean)', pyBare.clockPairNs));
  console.log(pyRow('bare loop: get timed into a list (p50)', pyBare.timedMedianNs));
  console.log(pyRow('harness: recorded get (p50)', pyGet.percentiles.p50));
  console.log(
    `harness p99 ${pyGet.percentiles.p99} ns, p99.9 ${pyGet.percentiles.p999} ns, throughput ${Math.round(pyGet.throughput).toLocaleString('en-US')} ops/s (batches of 1,000 with the next one queued)`,
  );
  console.log(
    `\nfloors side by side (recorded get p50): Map in a TypeScript worker ${harnessMedian} ns, dict in a Python worker ${pyGet.percentiles.p50} ns`,
  );
}
