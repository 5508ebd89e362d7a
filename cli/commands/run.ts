import { resolve } from 'node:path';
import type { Command } from 'commander';
import { BACKENDS, DEFAULT_BACKENDS } from '../../backends/registry.js';
import { parseBackendChoices, type BackendChoice } from '../../harness/load-backend.js';
import type { ResultsFile, RunParameters } from '../../harness/results.js';
import { writeResults } from '../../harness/results-io.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { loadScenario } from '../../scenarios/load-scenario.js';
import { PARAMETER_DOCS, applyParameters, parseParameterList } from '../../scenarios/parameters.js';
import { randomSeed } from '../../scenarios/rng.js';
import { quickSizes, type Scenario } from '../../scenarios/scenario.js';
import { generateReport, renderTable } from '../../reports/index.js';
import { runHeader } from '../format-summary.js';
import { collect, duration, nonNegativeInteger, positiveInteger, positiveNumber } from '../parse-options.js';
import { ProgressLine } from '../progress-line.js';
import { UsageError, failUsage } from '../usage-error.js';

export interface RunCliOptions {
  backends?: string;
  procs?: number;
  ops?: number;
  duration?: number;
  warmup?: number;
  rate?: number;
  seed?: number;
  param?: string[];
  out: string;
  quiet?: boolean;
  full?: boolean;
  interval?: number;
  /** `--no-report` sets this false. */
  report?: boolean;
}

export interface ResolvedRun {
  scenario: Scenario;
  parameters: Record<string, string>;
  backends: BackendChoice[];
  run: RunParameters;
  outPath: string;
  /** Where the report goes: beside the results file, `<stem>-report/`. */
  reportDir: string;
}

/** `cachebench run [scenario]` — and, as the default command, plain `cachebench`. */
export function register(program: Command): void {
  const command = program
    .command('run', { isDefault: true })
    .description('run a scenario on one or more backends and write a results file (the default command)')
    .argument('[scenario]', 'built-in scenario name (see `cachebench scenarios`) or a .json/.ts scenario file', 'talk')
    .option('-b, --backends <list>', `backends in run order: names with options, or module paths (see \`cachebench backends\`); "all" = every registered backend (default: ${DEFAULT_BACKENDS.join(',')})`)
    .option('-p, --procs <n>', 'worker processes per backend (default: 4 for a quick run, the scenario\'s own with --full)', positiveInteger)
    .option('-n, --ops <n>', 'measured operations per process (default: ≤ 5,000 quick, the scenario\'s own with --full)', positiveInteger)
    .option('-d, --duration <time>', 'run each backend for a fixed time instead of --ops (e.g. 30, 2.5, 500ms, 2m)', duration)
    .option('-w, --warmup <n>', 'unrecorded warm-up operations per process before measuring', nonNegativeInteger)
    .option('-r, --rate <ops/s>', 'open loop: total target operations per second across all processes (latency counted from the intended start; default: closed loop)', positiveNumber)
    .option('-s, --seed <n>', 'seed for every random choice (keys, values, mix); the same seed replays the same operations (default: random, recorded in the results)', nonNegativeInteger)
    .option('--param <key=value>', 'override a scenario parameter; repeatable (see below)', collect)
    .option('-o, --out <path>', 'results folder (a file <timestamp>-<scenario>.json is written there) or a .json file path', 'results')
    .option('-q, --quiet', 'no live progress display (it is also off when stderr is not a terminal)')
    .option('--full', 'use the scenario\'s published sizes (talk: 8 processes × 100,000 ops) instead of the quick ones')
    .option('--interval <ms>', 'length of the latency-over-time intervals in ms', positiveInteger, 1000)
    .option('--no-report', 'skip the HTML/plots report written beside the results file (the table is still printed)')
    .addHelpText('after', helpText());
  command.action(async (scenarioArg: string, options: RunCliOptions) => {
    let resolved: ResolvedRun;
    try {
      resolved = await resolveRun(scenarioArg, options);
    } catch (error) {
      return failUsage(command, error);
    }
    process.exitCode = await execute(resolved, options);
  });
}

/** Turns arguments into a run: scenario with --param applied, backends, sizes (quick, --full, then explicit flags). */
export async function resolveRun(scenarioArg: string, options: RunCliOptions, now = new Date()): Promise<ResolvedRun> {
  if (options.ops !== undefined && options.duration !== undefined) throw new UsageError('--ops and --duration are exclusive; give one');
  const parameters = parseParameterList(options.param ?? []);
  const scenario = applyParameters(await loadScenario(scenarioArg), parameters);
  // No --backends: the default set (a quick run stays short); "all": every registered backend, alternative databases too.
  const backendText = options.backends === undefined ? DEFAULT_BACKENDS.join(',') : options.backends === 'all' ? [...BACKENDS.keys()].join(',') : options.backends;
  const backends = parseBackendChoices(backendText);
  const sizes = options.full ? scenario.sizes : quickSizes(scenario);
  const rate = options.rate ?? null;
  const run: RunParameters = {
    procs: options.procs ?? sizes.procs,
    ops: options.duration !== undefined ? null : options.ops ?? sizes.opsPerProcess,
    durationSeconds: options.duration ?? null,
    warmupOps: options.warmup ?? sizes.warmupOps,
    rate,
    loadModel: rate === null ? 'closed' : 'open',
    seed: options.seed ?? randomSeed(),
  };
  const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  const outPath = options.out.endsWith('.json') ? resolve(options.out) : resolve(options.out, `${stamp}-${scenario.name}.json`);
  return { scenario, parameters, backends, run, outPath, reportDir: `${outPath.replace(/\.json$/i, '')}-report` };
}

async function execute(resolved: ResolvedRun, options: RunCliOptions): Promise<number> {
  const progress = ProgressLine.enabled(options.quiet === true) ? new ProgressLine() : undefined;
  const log = (text: string): void => {
    if (!options.quiet) process.stderr.write(`${text}\n`);
  };
  const { run, scenario } = resolved;
  log(`cachebench: ${scenario.name} on ${resolved.backends.map((b) => b.label).join(', ')} — ${run.procs} procs × ${run.ops === null ? `${run.durationSeconds} s` : `${run.ops} ops`}, seed ${run.seed}`);
  const results: ResultsFile = await runBenchmark({
    scenario,
    parameters: resolved.parameters,
    backends: resolved.backends,
    run,
    intervalMs: options.interval,
    onProgress: progress ? (snapshot) => progress.update(snapshot) : undefined,
    onBackendDone: (result) => {
      progress?.clear();
      log(`  ${result.label}: ${result.status}${result.message ? ` — ${result.message}` : ''}`);
    },
  });
  await writeResults(resolved.outPath, results);

  // ── REPORT STEP ──────────────────────────────────────────────────────────
  // The report's tables are the run's summary (one table implementation: reports/render-table.ts).
  process.stdout.write(`${runHeader(results)}\n\n`);
  const reportHtml = options.report === false ? undefined : await writeReport(results, resolved.reportDir);
  process.stdout.write(reportHtml?.tables ?? renderTable(results));
  process.stdout.write(`\nresults: ${resolved.outPath}\n`);
  if (reportHtml?.html) process.stdout.write(`report:  ${reportHtml.html}\n`);
  if (reportHtml?.failure) process.stdout.write(`report:  not written (${reportHtml.failure}); make it with: cachebench report ${resolved.outPath} --out ${resolved.reportDir}\n`);
  // ─────────────────────────────────────────────────────────────────────────

  // Unavailable backends (no Redis here) do not fail a run; errors and crashes do.
  return results.backends.some((b) => b.status === 'errored' || b.status === 'partial') ? 1 : 0;
}

/** A failed report never loses the run: the results file is already written, and the failure is one line. */
async function writeReport(results: ResultsFile, dir: string): Promise<{ tables?: string; html?: string; failure?: string }> {
  try {
    const out = await generateReport([results], dir);
    return { tables: out.tables, html: out.html };
  } catch (error) {
    return { failure: (error as Error).message.split('\n')[0] };
  }
}

function helpText(): string {
  const params = Object.entries(PARAMETER_DOCS).map(([k, v]) => `  ${k.padEnd(14)} ${v}`).join('\n');
  return `
Scenario parameters (--param key=value):
${params}

Sizes: without --full a run uses each scenario's quick sizes (at most 4 processes × 5,000 ops),
which finish in well under 2 minutes on 2 cores; --procs/--ops/--warmup override either.

Exit codes: 0 success (unavailable backends are reported, not failed), 1 a backend errored or a
worker crashed, 2 bad arguments.

Examples:
  cachebench                                   talk on every available backend, quick sizes
  cachebench run talk --full                   the talk's exact sizes: 8 processes × 100,000 ops
  cachebench run ycsb-a -b sqlite,redis -p 4 -d 30s --seed 7
  cachebench run talk -b "sqlite:mmap_size=0 fanout:shards=8" --rate 20000
  cachebench run ./my-scenario.json -b ./my-backend.ts --param keys=5000
`;
}
