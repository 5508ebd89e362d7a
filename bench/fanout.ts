/**
 * FanoutCache against Cache under real worker processes: the talk's mix
 * (python-diskcache's benchmark_core: 100 keys, 90% get / 9% set / 1% delete)
 * through the harness, with 1, 2 and 4 processes. For each process count,
 * one run holds Cache (`sqlite`) and FanoutCache(8) at lock timeouts of 1, 10
 * (the default) and 100 ms, one after another, so every figure is a ratio
 * against Cache measured in the same run. Other helpers load the CPU: read
 * the ratios, not the absolute times.
 *
 * A FanoutCache operation that gives up on its shard's lock is counted as a
 * timeout (a miss to the caller) and leaves the latency histogram, so its
 * set p99 must be read next to its timeout rate — the talk's trade-off.
 *
 *   npm run bench:fanout [-- --ops 30000 --procs 1,2,4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cache, FanoutCache, type Value } from '../engine/index.js';
import { enableWasmHistograms } from '../harness/histogram.js';
import { parseBackendChoices } from '../harness/load-backend.js';
import type { ActionResult, BackendResult } from '../harness/results.js';
import { runBenchmark } from '../harness/run-benchmark.js';
import { getScenario } from '../scenarios/registry.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
};
const OPS = Number(option('ops', '30000'));
const PROCS = option('procs', '1,2,4').split(',').map(Number);
const TIMEOUTS_MS = [1, 10, 100];
const CACHE = 'sqlite';
const fanoutLabel = (ms: number) => `fanout:shards=8,timeout=${ms}ms`;

await enableWasmHistograms();
const scenario = getScenario('talk');
const us = (ns: number) => (ns / 1000).toFixed(1);

function timeoutRate(result: BackendResult): number {
  let timeouts = 0;
  let all = 0;
  for (const action of Object.values(result.actions) as ActionResult[]) {
    timeouts += action.timeouts;
    all += action.count + action.timeouts + action.errors;
  }
  return all === 0 ? 0 : timeouts / all;
}

console.log(`fanout benchmark: the talk mix (100 keys, 90% get / 9% set / 1% delete, values 1–99 repeats); ${OPS.toLocaleString("en-US")} ops per process`);
console.log('ratios are FanoutCache(8) ÷ Cache in the same run (absolute times move with the machine load)\n');
const summary: string[] = [];
for (const procs of PROCS) {
  const labels = [CACHE, ...TIMEOUTS_MS.map(fanoutLabel)];
  const results = await runBenchmark({
    scenario,
    backends: parseBackendChoices(labels.join(';')),
    run: { procs, ops: OPS, durationSeconds: null, warmupOps: 1_000, rate: null, loadModel: 'closed', seed: 1 },
  });
  const byLabel = new Map(results.backends.map((b) => [b.label, b]));
  const cache = byLabel.get(CACHE)!;
  const cacheSet = cache.actions.set!.percentiles;
  console.log(`${procs} process${procs === 1 ? '' : 'es'}`);
  console.log('  backend                              set p50 µs  set p99 µs  ×Cache p99  get p99 µs  timeouts (share of ops)');
  for (const label of labels) {
    const result = byLabel.get(label)!;
    if (result.status !== 'completed') {
      console.log(`  ${label.padEnd(36)} ${result.status}: ${result.message ?? ''}`);
      continue;
    }
    const set = result.actions.set!.percentiles;
    const get = result.actions.get!.percentiles;
    console.log(
      `  ${label.padEnd(36)} ${us(set.p50).padStart(10)}  ${us(set.p99).padStart(10)}  ${(set.p99 / cacheSet.p99).toFixed(2).padStart(9)}×` +
        `  ${us(get.p99).padStart(10)}  ${(timeoutRate(result) * 100).toFixed(3).padStart(8)} %`,
    );
  }
  const fanout = byLabel.get(fanoutLabel(10))!;
  if (fanout.status === 'completed') {
    const ratio = fanout.actions.set!.percentiles.p99 / cacheSet.p99;
    const verdict = procs < 2 ? '(no target with 1 process)' : ratio < 1 ? 'target met (lower than Cache)' : 'target NOT met';
    summary.push(`  ${procs} proc: FanoutCache(8, 10 ms) set p99 ${ratio.toFixed(2)}× Cache's — ${verdict}; timeouts at 1/10/100 ms: ${
      TIMEOUTS_MS.map((ms) => `${(timeoutRate(byLabel.get(fanoutLabel(ms))!) * 100).toFixed(3)} %`).join(' / ')}`);
  }
  console.log('');
}
console.log('summary (target: with 2+ processes, FanoutCache set p99 lower than Cache):');
for (const line of summary) console.log(line);

/**
 * Batch calls against single calls, per key, in this process: 100 keys per
 * batch, rounds alternating single and batch so machine load hits both alike;
 * the median round is reported.
 */
function batchVersusSingle(label: string, cache: Cache | FanoutCache): string {
  const keys = Array.from({ length: 100 }, (_, i) => `batch-${i}`);
  const entries = keys.map((k, i) => [k, 'v'.repeat(1 + (i % 99))] as [string, Value]);
  const time = (fn: () => void): number => {
    const t0 = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t0) / keys.length;
  };
  const runs: Record<string, number[]> = { set: [], setMany: [], get: [], getMany: [] };
  for (let round = 0; round < 40; round++) {
    runs.set!.push(time(() => { for (const [k, v] of entries) cache.set(k, v); }));
    runs.setMany!.push(time(() => cache.setMany(entries)));
    runs.get!.push(time(() => { for (const k of keys) cache.get(k); }));
    runs.getMany!.push(time(() => cache.getMany(keys)));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  const [set, setMany, get, getMany] = ['set', 'setMany', 'get', 'getMany'].map((name) => median(runs[name]!));
  return `  ${label.padEnd(16)} set ${us(set!)} µs/key, setMany ${us(setMany!)} µs/key (${(setMany! / set!).toFixed(2)}×); ` +
    `get ${us(get!)} µs/key, getMany ${us(getMany!)} µs/key (${(getMany! / get!).toFixed(2)}×)`;
}

const dir = mkdtempSync(join(tmpdir(), 'cachebench-bench-fanout-'));
try {
  const cache = new Cache(join(dir, 'cache'));
  const fanout = new FanoutCache(join(dir, 'fanout'), { shards: 8 });
  console.log('\nbatch calls, 100 keys per batch, one process (ratio: batch ÷ single, per key; target < 1):');
  console.log(batchVersusSingle('Cache', cache));
  console.log(batchVersusSingle('FanoutCache(8)', fanout));
  cache.close();
  fanout.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
