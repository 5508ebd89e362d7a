/**
 * Write tails under multi-process contention: the talk workload (python-
 * diskcache's benchmark_core: 100 keys, 90% get / 9% set / 1% delete) through
 * the harness at 2, 4 and 8 processes, on our Cache (`sqlite`), FanoutCache
 * (`fanout`), the bare-statement floor (`sqlite-raw`) and — where Debian's
 * python3-diskcache is installed — python-diskcache's Cache (`py-diskcache`)
 * and FanoutCache (`py-fanout`) in the same run.
 *
 * Each process count runs in interleaved rounds: every round runs every
 * backend once, the order rotated each round, so a burst of load from other
 * processes on a shared machine lands on different backends in different
 * rounds. Ratios are taken within a round (diskcache ÷ ours: above 1 means
 * ours is faster) and the median and range over the rounds are printed;
 * percentiles are the median over rounds of each round's figure.
 *
 * Beside the latency, the figures the engine and the harness record per run
 * (result `metrics`): how many sets waited for the write lock and how long,
 * how many WAL checkpoints ran inside an operation and how long they took,
 * and the workers' involuntary context switches (time descheduled) — so a
 * long tail shows its reason.
 *
 *   npm run bench:contention [-- --ops 20000 --rounds 3 --procs 2,4,8
 *     --backends 'sqlite;fanout;sqlite-raw;py-diskcache;py-fanout']
 *
 * `--backends` takes the harness's backend specs separated by `;`, so variants
 * run side by side: `--backends 'sqlite;sqlite:lock_wait=poll;py-diskcache'`.
 * A spec is compared with `py-diskcache` when its name is `sqlite` or
 * `sqlite-raw`, with `py-fanout` when it is `fanout`.
 */
import { availableParallelism } from 'node:os';
import { enableWasmHistograms } from '../harness/recording-histogram.js';
import { parseBackendChoices, type BackendChoice } from '../harness/load-backend.js';
import type { BackendResult } from '../results/results.js';
import { runBenchmark } from '../harness/run-benchmark.js';
import { getScenario } from '../scenarios/registry.js';
import { contentionTable, type RoundFigures } from './contention-table.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
};
const OPS = Number(option('ops', '20000'));
const ROUNDS = Number(option('rounds', '3'));
const PROCS = option('procs', '2,4,8').split(',').map(Number);
const BACKENDS_TEXT = option('backends', 'sqlite;fanout;sqlite-raw;py-diskcache;py-fanout');
for (const [name, values] of [
  ['ops', [OPS]],
  ['rounds', [ROUNDS]],
  ['procs', PROCS],
] as const) {
  if (values.some((v) => !(Number.isInteger(v) && v >= 1))) {
    console.error(`bench:contention: --${name} takes whole numbers ≥ 1 (comma-separated for procs)`);
    process.exit(2);
  }
}
let choices: BackendChoice[];
try {
  choices = parseBackendChoices(BACKENDS_TEXT.includes(';') ? BACKENDS_TEXT : `${BACKENDS_TEXT};`);
} catch (error) {
  console.error(`bench:contention: --backends: ${(error as Error).message}`);
  process.exit(2);
}

await enableWasmHistograms();
const scenario = getScenario('talk');
console.log(
  `contention benchmark: the talk mix (100 keys, 90% get / 9% set / 1% delete), ${OPS.toLocaleString('en-US')} ops per process ` +
    `(+1,001 warm-up), ${ROUNDS} interleaved rounds per process count, backend order rotated each round`,
);
console.log(
  'percentiles: median over rounds; ratios: diskcache ÷ ours within a round (above 1: ours faster), median (range)',
);
const CORES = availableParallelism();
console.log(`this machine: ${CORES} cores\n`);

for (const procs of PROCS) {
  const rounds: Map<string, BackendResult>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const shift = round % choices.length;
    const order = [...choices.slice(shift), ...choices.slice(0, shift)];
    const results = await runBenchmark({
      scenario,
      backends: order,
      run: {
        procs,
        ops: OPS,
        durationSeconds: null,
        warmupOps: 1_001,
        rate: null,
        loadModel: 'closed',
        seed: 1 + round,
      },
      callFloors: false,
    });
    rounds.push(new Map(results.backends.map((b) => [b.label, b])));
    process.stderr.write(`  ${procs} processes: round ${round + 1}/${ROUNDS} done\n`);
  }
  const figures: RoundFigures = { labels: choices.map((c) => c.label), rounds };
  console.log(contentionTable(procs, figures).join('\n'));
  if (procs > CORES) {
    console.log(
      `  ${procs} processes on ${CORES} cores: a set that sleeps, or whose lock holder is preempted, waits for other ` +
        'processes\' time slices (docs/engine.md, "Where the floor is")',
    );
  }
  console.log('');
}
