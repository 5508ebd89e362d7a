import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ResultsFile } from '../../results/results.js';
import { SweepError, SWEEP_ARGUMENT_CODES } from '../../sweep/errors.js';
import { applyRecommendation, findCacheDirectories } from '../../sweep/apply.js';
import { checkApplyDurability } from '../../sweep/durability.js';
import { confirmationRuns, DEFAULT_CONFIRM, runConfirmations } from '../../sweep/confirm.js';
import { formatRanking, formatRecommendation } from '../../sweep/format-text.js';
import { summarizeSweep } from '../../sweep/summary.js';
import { SweepProgressBar } from '../../sweep/progress-bar.js';
import { DEFAULT_OBJECTIVE, QUICK_GRID, resolveSweep, type SweepOptions } from '../../sweep/resolve-sweep.js';
import { InterruptWatch } from '../../harness/interrupt-watch.js';
import { runSweep } from '../../sweep/run-sweep.js';
import { prepareOutDir, writeSweepOutputs } from '../../sweep/write-outputs.js';
import { collect, nonNegativeInteger, positiveInteger } from '../parse-options.js';
import { UsageError, failUsage } from '../usage-error.js';

interface SweepCliOptions extends SweepOptions {
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
    .description('run a scenario over a grid of engine settings / shards / processes, rank them by an objective and recommend settings')
    .argument('[scenario]', 'built-in scenario name or a .json/.ts scenario file', 'talk')
    .option('-g, --grid <axes...>', 'axes as name=v1,v2 (engine settings in any spelling, procs, backend options such as shards, scenario parameters such as param.ratio)')
    .option('--grid-file <path>', 'grid as JSON: {"journal_mode": ["wal", "delete"], "procs": [1, 2]}')
    .option('-r, --repeat <n>', 'runs per combination (default 5; 3 with --quick)', positiveInteger)
    .option('--objective <expr>', 'what to minimise/maximise: get.p99, set.p50, throughput, or 0.7*get.p99+0.3*set.p99', DEFAULT_OBJECTIVE)
    .option('-b, --backend <name>', 'backend whose options are swept (sqlite, fanout, or another registry name)', 'sqlite')
    .option('--backends <names>', 'several backends, comma separated (sqlite,filebased,redis): the backend becomes a context axis; engine settings apply to the backends that take them')
    .option('-o, --out <dir>', 'sweep folder; re-running the same command with the same folder resumes (default sweeps/<scenario>-<backend>)')
    .option('--quick', `small sizes (2 procs × 2,000 ops, repeat 3) and, without --grid, the grid ${QUICK_GRID.join(' ')}`)
    .option('--confirm <n>', `runs each of the best and the defaults in a confirmation round after the grid (0: judge the grid's repeats with a multiple-comparison correction instead)`, nonNegativeInteger, DEFAULT_CONFIRM)
    .option('--apply <dir>', 'afterwards, write the recommended engine settings into this existing cache directory')
    .option('--allow-lower-durability', '--apply even a recommendation that keeps fewer writes safe than the defaults (e.g. synchronous=off)')
    .option('-p, --procs <n>', 'worker processes when the grid has no procs axis', positiveInteger)
    .option('-n, --ops <n>', 'measured operations per process per run', positiveInteger)
    .option('-w, --warmup <n>', 'unrecorded warm-up operations per process', nonNegativeInteger)
    .option('-s, --seed <n>', 'seed of the operations and the run order (default 1, so the same command resumes)', nonNegativeInteger)
    .option('--param <key=value>', 'override a scenario parameter; repeatable', collect)
    .option('--no-png', 'skip the PNG images of the plots (SVG only)')
    .option('-q, --quiet', 'no progress bar (it is also off when stderr is not a terminal)')
    .addHelpText('after', helpText());
  command.action(async (scenarioArg: string, options: SweepCliOptions) => {
    let resolved: Awaited<ReturnType<typeof resolveSweep>>;
    try {
      if (options.apply !== undefined && (options.backends ?? '').includes(',')) {
        throw new SweepError('APPLY_TARGET', '--apply writes one backend\'s recommendation; sweep that backend alone (--backend NAME) to apply it');
      }
      if (options.apply !== undefined) findCacheDirectories(options.apply); // refuse now, not after the sweep
      resolved = await resolveSweep(scenarioArg, options);
    } catch (error) {
      return failUsage(command, asUsage(error));
    }
    const { plan, objective } = resolved;
    const backendNames = (plan.factories ?? [plan.factory]).map((f) => f.name);
    const outDir = resolve(options.out ?? `sweeps/${plan.scenario.name}-${backendNames.join('+')}`);
    try {
      await prepareOutDir(outDir);
    } catch (error) {
      return failUsage(command, asUsage(error));
    }
    const log = (text: string): void => {
      if (!options.quiet) process.stderr.write(`${text}\n`);
    };
    log(`cachebench sweep: ${plan.scenario.name} on ${backendNames.join(', ')}, ${plan.combinations.length} combinations × ${plan.repeat} repeats = ${plan.runs.length} runs, ${plan.sizes.ops} ops per process, seed ${plan.seed}`);
    const bar = SweepProgressBar.enabled(options.quiet === true) ? new SweepProgressBar() : undefined;
    // Ctrl-C, as in `run`: the first stops the running run (not kept) and ends the sweep with 130; a second quits at once.
    const tally: Tally = { completed: 0, total: plan.runs.length, writing: false };
    const interrupted = (): void => void process.stderr.write(`sweep interrupted after ${tally.completed} of ${tally.total} runs; run the same command to resume\n`);
    const interrupt = new InterruptWatch({
      onFirst: () => {
        bar?.stop();
        if (tally.writing) {
          // Every run is done; the summary and report are made again by re-running the command.
          interrupted();
          process.exit(130);
        }
        log('interrupted: stopping the running run; completed runs are kept (Ctrl-C again to quit at once)');
      },
      onSecond: () => {
        interrupted();
        process.exit(130);
      },
    });
    try {
      const code = await sweepAndReport({ command, plan, objective, options, outDir, log, bar, signal: interrupt.signal, tally });
      if (code === 130) interrupted();
      process.exitCode = code;
    } finally {
      interrupt.dispose();
    }
  });
}

/** Runs done so far and planned (grid, then confirmation round); `writing` once every run is done. */
interface Tally {
  completed: number;
  total: number;
  writing: boolean;
}

interface SweepContext {
  command: Command;
  plan: Awaited<ReturnType<typeof resolveSweep>>['plan'];
  objective: Awaited<ReturnType<typeof resolveSweep>>['objective'];
  options: SweepCliOptions;
  outDir: string;
  log: (text: string) => void;
  bar: SweepProgressBar | undefined;
  signal: AbortSignal;
  tally: Tally;
}

/** The grid, the confirmation round, the outputs and --apply; the exit code (130 when interrupted). */
async function sweepAndReport(context: SweepContext): Promise<number> {
  const { command, plan, objective, options, outDir, log, bar, signal, tally } = context;
  let outcome: Awaited<ReturnType<typeof runSweep>>;
  try {
    outcome = await runSweep({
      plan,
      outDir,
      signal,
      onRunStart: (p) => {
        tally.completed = p.completed;
        bar?.update(p, plan.combinations.length);
      },
      onRunDone: (p) => void (tally.completed = p.completed),
    });
  } catch (error) {
    return failUsage(command, asUsage(error));
  } finally {
    bar?.stop();
  }
  tally.completed = countCompleted(outcome.results);
  if (outcome.interrupted) return 130;
  if (outcome.skipped > 0) log(`skipped ${outcome.skipped} runs of unavailable backends (see the recommendation)`);
  if (outcome.resumed > 0 || outcome.retried > 0) {
    const again = outcome.retried > 0 ? ` (${outcome.retried} of them again: they had errored, been interrupted or been partial)` : '';
    log(`resumed ${outDir}: ${outcome.resumed} of ${plan.runs.length} runs were already done, ran ${outcome.executed}${again}`);
  }
  // The grid picks the best; fresh runs of it and the defaults judge it (see sweep/confirm.ts).
  const picked = summarizeSweep(plan, outcome.results, objective);
  const confirming = confirmationRuns(plan, picked.recommendations, options.confirm ?? DEFAULT_CONFIRM);
  if (confirming.length > 0) log(`confirmation round: ${confirming.length} fresh runs of the best and the defaults`);
  tally.total += confirming.length;
  const gridCompleted = tally.completed;
  let confirmations: Awaited<ReturnType<typeof runConfirmations>>;
  try {
    confirmations = await runConfirmations(plan, confirming, outDir, { signal, onRunStart: (done) => void (tally.completed = gridCompleted + done) });
  } catch (error) {
    return failUsage(command, asUsage(error));
  }
  tally.completed = gridCompleted + countCompleted(confirmations.results);
  if (confirmations.interrupted || signal.aborted) return 130;
  tally.writing = true;
  const written = await writeSweepOutputs(plan, outcome.results, objective, outDir, { png: options.png !== false, confirmations: confirmations.results });
  process.stdout.write(formatRanking(written.summary));
  process.stdout.write(formatRecommendation(written.summary));
  process.stdout.write(`summary: ${written.summaryPath}\nreport: ${written.html}\n`);
  if (options.apply !== undefined) {
    try {
      checkApplyDurability(written.summary.recommended, options.apply, options.allowLowerDurability === true);
    } catch (error) {
      process.stderr.write(`error: ${(error as Error).message}\n`);
      return 2;
    }
    const chosen = plan.combinations[written.summary.recommended.recommended.index]!;
    const applied = applyRecommendation(options.apply, chosen, plan.grid);
    const settings = Object.entries(applied.applied).map(([k, v]) => `${k}=${v}`).join(', ') || 'nothing storable';
    process.stdout.write(`applied to ${applied.directories.join(', ')}: ${settings}\n`);
    for (const s of applied.skipped) process.stdout.write(`  not applied: ${s.name}=${s.value} — ${s.reason}\n`);
  }
  return written.summary.combinations.some((c) => c.problems.length > 0) ? 1 : 0;
}

function countCompleted(results: ReadonlyMap<string, ResultsFile>): number {
  return [...results.values()].filter((f) => f.backends[0]?.status === 'completed').length;
}

// Grid and objective mistakes are argument errors: one line, usage, exit 2.
function asUsage(error: unknown): unknown {
  return error instanceof SweepError && SWEEP_ARGUMENT_CODES.has(error.code) ? new UsageError(error.message) : error;
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
