import { InvalidArgumentError, Option, type Command } from 'commander';
import type { SweepOptions } from '../../sweep/resolve-sweep.js';
import { DEFAULT_CONFIRM, DEFAULT_OBJECTIVE, QUICK_GRID } from '../../sweep/sweep-defaults.js';
import { collect, nonNegativeInteger, positiveInteger } from '../parse-options.js';

export interface SweepCliOptions extends SweepOptions {
  out?: string;
  apply?: string;
  quiet?: boolean;
  png?: boolean;
  confirm?: number;
  allowLowerDurability?: boolean;
}

/** `cachebench sweep [scenario]` — tune engine settings, shards and processes for a workload. */
export function register(program: Command): void {
  const command = program
    .command('sweep')
    .description(
      'run a scenario over a grid of engine settings / shards / processes, rank them by an objective and recommend settings',
    )
    .argument('[scenario]', 'built-in scenario name or a .json/.ts scenario file', 'talk')
    .option(
      '-g, --grid <axes...>',
      'axes as name=v1,v2 (engine settings in any spelling, procs, backend options such as shards, scenario parameters such as param.ratio)',
    )
    .option('--grid-file <path>', 'grid as JSON: {"journal_mode": ["wal", "delete"], "procs": [1, 2]}')
    .option('--repeat <n>', 'runs per combination (default 5; 3 with --quick)', positiveInteger)
    .addOption(new Option('-r <n>').hideHelp().argParser(notRate))
    .option(
      '--objective <expr>',
      'what to minimise/maximise: get.p99, set.p50, throughput, or 0.7*get.p99+0.3*set.p99',
      DEFAULT_OBJECTIVE,
    )
    .option(
      '-b, --backends <list>',
      'backends whose options are swept, comma separated (sqlite, fanout, or other registry names; default sqlite); with several (sqlite,filebased,redis) the backend becomes a context axis and engine settings apply to the backends that take them',
    )
    .addOption(new Option('--backend <name>', 'one backend: the same as --backends NAME').hideHelp())
    .option(
      '-o, --out <dir>',
      'sweep folder; re-running the same command with the same folder resumes (default sweeps/<scenario>-<backend>)',
    )
    .option(
      '--quick',
      `small sizes (2 procs × 2,000 ops, repeat 3) and, without --grid, the grid ${QUICK_GRID.join(' ')}`,
    )
    .option(
      '--confirm <n>',
      `runs each of the best and the defaults in a confirmation round after the grid (0: judge the grid's repeats with a multiple-comparison correction instead)`,
      nonNegativeInteger,
      DEFAULT_CONFIRM,
    )
    .option('--apply <dir>', 'afterwards, write the recommended engine settings into this existing cache directory')
    .option(
      '--allow-lower-durability',
      '--apply even a recommendation that keeps fewer writes safe than the defaults (e.g. synchronous=off)',
    )
    .option('-p, --procs <n>', 'worker processes when the grid has no procs axis', positiveInteger)
    .option('-n, --ops <n>', 'measured operations per process per run', positiveInteger)
    .option('-w, --warmup <n>', 'unrecorded warm-up operations per process', nonNegativeInteger)
    .option(
      '-s, --seed <n>',
      'seed of the operations and the run order (default 1, so the same command resumes)',
      nonNegativeInteger,
    )
    .option('--param <key=value>', 'override a scenario parameter; repeatable', collect)
    .option('--no-png', 'skip the PNG images of the plots (SVG only)')
    .option('-q, --quiet', 'no progress bar (it is also off when stderr is not a terminal)')
    .addHelpText('after', helpText());
  command.action(async (scenarioArg: string, options: SweepCliOptions) => {
    // The backends and renderers load here, when a sweep starts, never for --help.
    await (await import('../sweep-action.js')).sweepAction(command, scenarioArg, options);
  });
}

/** `-r` is `--rate` in every command; a sweep has no rate, and its repeats are spelt out. */
function notRate(): never {
  throw new InvalidArgumentError(
    '-r means --rate in cachebench; a sweep has no --rate: give the runs per combination as --repeat N',
  );
}

function helpText(): string {
  return `
Grid axes: any engine setting (journal_mode, synchronous, mmap_size, cache_size, page_size,
timeout, eviction_policy, size_limit, ... in any spelling; units such as 64MiB or 10ms),
procs (worker processes), options of the chosen backend (shards on fanout), and scenario
parameters (param.ratio or ratio, param.keys, ...; each value is its own workload with its own
defaults reference).
Each combination × repeat is one harness run, in a seeded random order; the engine defaults
are added as a reference when the grid does not contain them.

Output in the sweep folder: runs/*.json (one results file per run), sweep.json (the manifest),
summary.json, report/index.html and report/report.md with the plots.
Interrupted? Run the same command again: completed runs are kept; the rest, and runs that
errored or were interrupted, run.

The recommendation warns when it lowers durability versus the defaults (synchronous=off,
journal_mode=off/memory, a rollback journal without synchronous=full); --apply then refuses
to write it unless --allow-lower-durability is given.

Exit codes: 0 success, 1 some run errored or a worker crashed, 2 bad arguments, or --apply
refused a durability-lowering recommendation, 130 interrupted (Ctrl-C; run the same
command to resume).

Examples:
  cachebench sweep --quick
  cachebench sweep talk --grid journal_mode=wal,delete synchronous=off,normal,full --repeat 5
  cachebench sweep talk --grid timeout=0.001,0.01,0.1 procs=1,2,4 --objective '0.7*get.p99+0.3*set.p99'
  cachebench sweep talk -b fanout --grid shards=1,2,4 procs=1,2,4 --out sweeps/shards
  cachebench sweep read-write-ratio --grid ratio=1,10,100 synchronous=normal,full
  cachebench sweep --quick --apply ~/.cache/my-app
`;
}
