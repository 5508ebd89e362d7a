import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_BACKENDS } from '../../backends/default-backends.js';
import type { BackendChoice } from '../../harness/load-backend.js';
import { availableCpus, type PinChoice } from '../../harness/cpu-placement.js';
import { parsePinChoice } from '../../harness/pin-choice.js';
import { DEFAULT_NOISE_THRESHOLD_CORES } from '../../harness/host-noise.js';
import type { RunParameters } from '../../results/results.js';
import { PARAMETER_DOCS } from '../../scenarios/parameters.js';
import type { Scenario } from '../../scenarios/scenario.js';
import { collect, duration, nonNegativeInteger, positiveInteger, positiveNumber } from '../parse-options.js';
import { failOneLine, failUsage } from '../usage-error.js';
import { EXPORT_HELP, exportOption, PERCENTILES_HELP, percentilesOption } from './report.js';
import type { ExportFormat } from '../../reports/export-formats.js';

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
  repeat?: number;
  noiseThreshold?: number;
  waitIdle?: number;
  retryNoisy?: number;
  pin?: PinChoice;
  injectDelay?: string[];
  /** `--agents HOST:PORT,…`: drive the run through these agents (harness/agents). */
  agents?: string[];
  agentSecretFile?: string;
  /** `--percentiles`, `--export`: passed to the report (cli/commands/report.ts). */
  percentiles?: number[];
  export?: ExportFormat[];
}

/** The measurement guards, passed through to runBenchmark. */
export interface MeasurementGuards {
  noiseThresholdCores: number;
  waitIdleSeconds: number;
  retryNoisy: number;
  pin: PinChoice | undefined;
}

export interface ResolvedRun {
  scenario: Scenario;
  parameters: Record<string, string>;
  backends: BackendChoice[];
  run: RunParameters;
  /** The results file, or with --repeat the folder of run-01.json, run-02.json, … */
  outPath: string;
  /** Every results file the run writes, in order (one, or --repeat N). */
  runPaths: string[];
  /** Where the report goes: beside the results file (`<stem>-report/`), or `report/` inside the --repeat folder. */
  reportDir: string;
  guards: MeasurementGuards;
}

/** `cachebench run [scenario]` — and, as the default command, plain `cachebench`. */
export function register(program: Command): void {
  const command = program
    .command('run', { isDefault: true })
    .description('run a scenario on one or more backends and write a results file (the default command)')
    .argument('[scenario]', 'built-in scenario name (see `cachebench scenarios`) or a .json/.ts scenario file', 'talk')
    .option(
      '-b, --backends <list>',
      `backends in run order: names with options, or module paths (see \`cachebench backends\`); "all" = every registered backend, "originals" = the talk's Python caches beside ours (default: ${DEFAULT_BACKENDS.join(',')})`,
    )
    .option(
      '-p, --procs <n>',
      "worker processes per backend (default: 4 for a quick run, the scenario's own with --full)",
      positiveInteger,
    )
    .option(
      '-n, --ops <n>',
      "timed operations per process, warm-up not included (default: ≤ 5,000 quick, the scenario's own with --full)",
      positiveInteger,
    )
    .option(
      '-d, --duration <time>',
      'run each backend for a fixed time instead of --ops (e.g. 30, 2.5, 500ms, 2m)',
      duration,
    )
    .option(
      '-w, --warmup <n>',
      "untimed warm-up operations per process, run before the --ops timed ones (default: the scenario's)",
      nonNegativeInteger,
    )
    .option(
      '-r, --rate <ops/s>',
      'open loop: total target operations per second across all processes (latency counted from the intended start; default: closed loop)',
      positiveNumber,
    )
    .option(
      '-s, --seed <n>',
      'seed for every random choice (keys, values, mix); the same seed replays the same operations (default: random, recorded in the results)',
      nonNegativeInteger,
    )
    .option('--param <key=value>', 'override a scenario parameter; repeatable (see below)', collect)
    .option(
      '-o, --out <path>',
      'results folder (a file <timestamp>-<scenario>.json is written there) or a .json file path',
      'results',
    )
    .option('-q, --quiet', 'no live progress display (it is also off when stderr is not a terminal)')
    .option(
      '--full',
      "use the scenario's published sizes (talk: 8 processes × 98,999 timed ops after 1,001 warm-up, as diskcache counts its 100,000) instead of the quick ones",
    )
    .option('--interval <ms>', 'length of the latency-over-time intervals in ms', positiveInteger, 1000)
    .option('--no-report', 'skip the HTML/plots report written beside the results file (the table is still printed)')
    .option('--percentiles <list>', PERCENTILES_HELP, percentilesOption)
    .option('--export <formats>', EXPORT_HELP, exportOption)
    .option(
      '--repeat <n>',
      'run the same configuration N times (seeds S, S+1, …) into one folder of run-01.json … for `cachebench compare BASE_DIR HEAD_DIR`',
      positiveInteger,
    )
    .option(
      '--noise-threshold <cores>',
      `flag intervals where processes outside the run used more than this many cores (default ${DEFAULT_NOISE_THRESHOLD_CORES})`,
      nonNegativeNumber,
    )
    .option(
      '--wait-idle <seconds>',
      'before each backend, wait up to this long for other processes to go under the noise threshold',
      nonNegativeNumber,
    )
    .option(
      '--retry-noisy <n>',
      'rerun a backend disturbed by other processes up to N times and keep the quietest run',
      nonNegativeInteger,
    )
    .option(
      '--inject-delay <rule>',
      'add a known delay to a backend method to test a regression gate: [LABEL:]METHOD=DURATION, e.g. set=6us or sqlite:get=500ns; repeatable (also CACHEBENCH_INJECT_DELAY, rules separated by ";")',
      collect,
    )
    .option(
      '--agents <list>',
      'drive the run through `cachebench agent` load hosts, HOST:PORT,…; --procs is the total, split among them (docs/agents.md)',
      agentList,
    )
    .option('--agent-secret-file <file>', "the agents' shared secret (first line); default: CACHEBENCH_AGENT_SECRET")
    .option(
      '--pin <placement>',
      'pin workers and a local server with taskset: same (one CPU), separate (server apart from workers), both (run each backend both ways), or client=CPUS[,server=CPUS] (e.g. client=0,server=1)',
      pinChoice,
    )
    .addHelpText('after', helpText());
  command.action(async (scenarioArg: string, options: RunCliOptions) => {
    // The backends, harness and renderers load here, when a run starts, never for --help.
    const { prepareOutput, resolveRun: resolve } = await import('../resolve-run.js');
    let resolved: ResolvedRun;
    try {
      resolved = await resolve(scenarioArg, options);
    } catch (error) {
      return failUsage(command, error);
    }
    try {
      await prepareOutput(resolved, options);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'USAGE') return failOneLine((error as Error).message);
      throw error;
    }
    const { executeRun } = await import('../run-execute.js');
    process.exitCode = await executeRun(resolved, options);
  });
}

/** Turns arguments into a run (cli/resolve-run.ts, loaded only when a run starts: it loads the backends). */
export async function resolveRun(scenarioArg: string, options: RunCliOptions, now = new Date()): Promise<ResolvedRun> {
  return (await import('../resolve-run.js')).resolveRun(scenarioArg, options, now);
}

function agentList(text: string): string[] {
  const agents = text
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (agents.length === 0 || agents.some((a) => !/^(?:\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/.test(a)))
    throw new InvalidArgumentError('expected HOST:PORT,…, e.g. 10.0.0.5:7420,10.0.0.6:7420');
  if (new Set(agents).size !== agents.length) throw new InvalidArgumentError('an agent is listed twice');
  return agents;
}

function nonNegativeNumber(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError('expected a number ≥ 0, e.g. 0.5');
  return n;
}

function pinChoice(text: string): PinChoice {
  try {
    return parsePinChoice(text, availableCpus());
  } catch (error) {
    // PlacementError: a one-line usage message (bad list, a CPU this process may not use).
    throw new InvalidArgumentError((error as Error).message);
  }
}

function helpText(): string {
  const params = Object.entries(PARAMETER_DOCS)
    .map(([k, v]) => `  ${k.padEnd(14)} ${v}`)
    .join('\n');
  return `
Scenario parameters (--param key=value):
${params}

Sizes: without --full a run uses each scenario's quick sizes (at most 4 processes × 5,000 ops),
which finish in well under 2 minutes on 2 cores; --procs/--ops/--warmup override either.

Measurement: every run samples the CPU used by processes outside it, per interval, and says
which intervals were disturbed (--noise-threshold); --wait-idle and --retry-noisy guard against
it, --pin places workers and a local server on chosen CPUs (docs/measurement.md).

Exit codes: 0 success (a default backend that is unavailable here, such as redis, is reported,
not failed), 1 a backend errored, is partial (a worker crashed or operations failed) or was
named with --backends and is unavailable here, 2 bad arguments or --out, 130 interrupted:
Ctrl-C keeps the backends done so far in the results file (the running one marked
"interrupted"); a second Ctrl-C quits at once.

Examples:
  cachebench                                   talk on the default backends, quick sizes
  cachebench run talk --full                   the talk's exact sizes: 8 × (1,001 warm-up + 98,999 timed)
  cachebench run ycsb-a -b sqlite,redis -p 4 -d 30s --seed 7
  cachebench run talk -b "sqlite:mmap_size=0 fanout:shards=8" --rate 20000
  cachebench run ./my-scenario.json -b ./my-backend.ts --param keys=5000
  cachebench run talk -b redis --pin both --retry-noisy 2
  cachebench run talk -b sqlite --repeat 5 -o base   then   cachebench compare base/<stem> head/<stem>
  cachebench run read-write-ratio --param ratio=100    one get:set ratio per run (default 10:1)
  cachebench sweep read-write-ratio --backends memory,sqlite --grid ratio=1,10,100
                                               the 1:1 … 100:1 curve: every ratio on each backend
`;
}
