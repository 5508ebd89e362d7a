/**
 * What `cachebench sweep` does once its arguments are parsed: plan the grid,
 * run it (resumably) with the confirmation round, write the outputs and
 * --apply. Loaded only when a sweep starts: it loads the backends and the
 * report renderers.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { ResultsFile } from '../results/results.js';
import { SweepError, SWEEP_ARGUMENT_CODES } from '../sweep/errors.js';
import { applyRecommendation, findCacheDirectories } from '../sweep/apply.js';
import { checkApplyDurability } from '../sweep/durability.js';
import { confirmationRuns, DEFAULT_CONFIRM, runConfirmations } from '../sweep/confirm.js';
import { formatRanking, formatRecommendation } from '../sweep/format-text.js';
import { summarizeSweep } from '../sweep/summary.js';
import { SweepProgressBar } from '../sweep/progress-bar.js';
import { resolveSweep } from '../sweep/resolve-sweep.js';
import { InterruptWatch } from '../harness/interrupt-watch.js';
import { runSweep } from '../sweep/run-sweep.js';
import { prepareOutDir, writeSweepOutputs } from '../sweep/write-outputs.js';
import type { SweepCliOptions } from './commands/sweep.js';
import { UsageError, failOneLine, failUsage } from './usage-error.js';
import { plural } from '../shared/plural.js';

export async function sweepAction(command: Command, scenarioArg: string, options: SweepCliOptions): Promise<void> {
  let resolved: Awaited<ReturnType<typeof resolveSweep>>;
  try {
    if (options.apply !== undefined && (options.backends ?? '').includes(',')) {
      throw new SweepError(
        'APPLY_TARGET',
        "--apply writes one backend's recommendation; sweep that backend alone (--backend NAME) to apply it",
      );
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
    if (error instanceof SweepError && error.code === 'OUT_DIR') return failOneLine(error.message);
    throw error;
  }
  const log = (text: string): void => {
    if (!options.quiet) process.stderr.write(`${text}\n`);
  };
  log(
    `cachebench sweep: ${plan.scenario.name} on ${backendNames.join(', ')}, ${plural(plan.combinations.length, 'combination', 'combinations')} × ${plural(plan.repeat, 'repeat', 'repeats')} = ${plural(plan.runs.length, 'run', 'runs')}, ${plural(plan.sizes.ops, 'op', 'ops')} per process, seed ${plan.seed}`,
  );
  const bar = SweepProgressBar.enabled(options.quiet === true) ? new SweepProgressBar() : undefined;
  // Ctrl-C, as in `run`: the first stops the running run (not kept) and ends the sweep with 130; a second quits at once.
  const tally: Tally = { completed: 0, total: plan.runs.length, writing: false };
  const interrupted = (): void =>
    void process.stderr.write(
      `sweep interrupted after ${tally.completed} of ${plural(tally.total, 'run', 'runs')}; run the same command to resume\n`,
    );
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
    const code = await sweepAndReport({
      command,
      plan,
      objective,
      options,
      outDir,
      log,
      bar,
      signal: interrupt.signal,
      tally,
    });
    if (code === 130) interrupted();
    process.exitCode = code;
  } finally {
    interrupt.dispose();
  }
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
  if (outcome.skipped > 0)
    log(`skipped ${plural(outcome.skipped, 'run', 'runs')} of unavailable backends (see the recommendation)`);
  if (outcome.resumed > 0 || outcome.retried > 0) {
    const again =
      outcome.retried > 0
        ? ` (${outcome.retried} of them again: they had errored, been interrupted or been partial)`
        : '';
    log(
      `resumed ${outDir}: ${outcome.resumed} of ${plural(plan.runs.length, 'run', 'runs')} ${outcome.resumed === 1 ? 'was' : 'were'} already done, ran ${outcome.executed}${again}`,
    );
  }
  // The grid picks the best; fresh runs of it and the defaults judge it (see sweep/confirm.ts).
  const picked = summarizeSweep(plan, outcome.results, objective);
  const confirming = confirmationRuns(plan, picked.recommendations, options.confirm ?? DEFAULT_CONFIRM);
  if (confirming.length > 0)
    log(`confirmation round: ${plural(confirming.length, 'fresh run', 'fresh runs')} of the best and the defaults`);
  tally.total += confirming.length;
  const gridCompleted = tally.completed;
  let confirmations: Awaited<ReturnType<typeof runConfirmations>>;
  try {
    confirmations = await runConfirmations(plan, confirming, outDir, {
      signal,
      onRunStart: (done) => void (tally.completed = gridCompleted + done),
    });
  } catch (error) {
    return failUsage(command, asUsage(error));
  }
  tally.completed = gridCompleted + countCompleted(confirmations.results);
  if (confirmations.interrupted || signal.aborted) return 130;
  tally.writing = true;
  const written = await writeSweepOutputs(plan, outcome.results, objective, outDir, {
    png: options.png !== false,
    confirmations: confirmations.results,
  });
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
    const settings =
      Object.entries(applied.applied)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || 'nothing storable';
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
