/**
 * Executes a sweep plan: one harness run per planned run, in the plan's
 * shuffled order, skipping runs whose results file already holds a completed
 * run (resume); runs that errored, were partial or interrupted run again.
 * Each finished run is written as its own results file and recorded in the
 * manifest before the next one starts.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadResults } from '../results/results-io.js';
import type { ResultsFile } from '../results/results.js';
import { runBenchmark } from '../harness/run-benchmark.js';
import { openManifest, saveManifest, writeAtomically, type ManifestRun } from './manifest.js';
import { backendChoice, runParameters, scenarioFor, type Combination, type SweepPlan } from './plan.js';

export interface SweepProgress {
  /** Runs finished so far, including those found already done. */
  done: number;
  /** Of those, the runs that completed (the ones a resumed sweep keeps). */
  completed: number;
  total: number;
  run: ManifestRun;
  combination: Combination;
  /** Estimated seconds left, from the mean time of the runs measured so far; null before the first. */
  etaSeconds: number | null;
}

export interface RunSweepOptions {
  plan: SweepPlan;
  outDir: string;
  /** Before each run that executes. */
  onRunStart?: (progress: SweepProgress) => void;
  /** After each run that executes. */
  onRunDone?: (progress: SweepProgress, results: ResultsFile) => void;
  /** Latency-over-time interval of the harness, ms. @default 1000 */
  intervalMs?: number;
  /** Aborted on Ctrl-C: the running run is stopped and not kept (resuming runs it again); no further run starts. */
  signal?: AbortSignal;
}

export interface SweepOutcome {
  /** Every planned run's results, by run id. */
  results: Map<string, ResultsFile>;
  /** Runs found done in the folder (resumed) and runs executed now. */
  resumed: number;
  executed: number;
  /** Of the pending runs, those whose file held a run that had not completed (errored, partial, interrupted): run again. */
  retried: number;
  /** Runs not made because an earlier run of the same backend at the same process count was unavailable (no server, a process limit). */
  skipped: number;
  /** Stopped by `signal` before every run was made. */
  interrupted: boolean;
}

/** Key of what an unavailable run rules out: the same backend at the same process count. */
function availabilityKey(combination: Combination): string {
  return `${combination.backendName ?? combination.backend}\u0000${combination.procs}`;
}

export async function runSweep(options: RunSweepOptions): Promise<SweepOutcome> {
  const { plan, outDir } = options;
  await mkdir(join(outDir, 'runs'), { recursive: true });
  const { manifest } = await openManifest(outDir, plan);
  const results = new Map<string, ResultsFile>();
  const pending: ManifestRun[] = [];
  let retried = 0;
  for (const run of manifest.runs) {
    const found = await loadRun(join(outDir, run.file));
    const done = found && isDone(found) ? found : undefined;
    // An unavailable run is tried again too, but the missing server is not a failed run: it is not counted as retried.
    if (found && !done && found.backends[0]?.status !== 'unavailable') retried++;
    if (done) {
      results.set(run.id, done);
      // A sweep killed between the results file and the manifest left this unrecorded.
      run.status ??= done.backends[0]?.status;
      run.finishedAt ??= done.createdAt;
    } else {
      delete run.finishedAt;
      delete run.status;
      pending.push(run);
    }
  }
  await saveManifest(outDir, manifest);
  const resumed = results.size;
  let completed = resumed; // resumed runs are all completed (loadIfDone)
  const measured = manifest.runs.filter((r) => results.has(r.id) && r.seconds !== undefined).map((r) => r.seconds!);
  const eta = (left: number): number | null =>
    measured.length === 0 ? null : (left * measured.reduce((a, b) => a + b, 0)) / measured.length;

  // A backend that cannot run here (redis missing) is tried once per process count, reported and skipped; the rest of the sweep goes on.
  const unavailable = new Set<string>();
  let skipped = 0;
  let executed = 0;
  let interrupted = false;
  for (const run of pending) {
    if (options.signal?.aborted) {
      interrupted = true;
      break;
    }
    const combination = plan.combinations[run.combination]!;
    if (unavailable.has(availabilityKey(combination))) {
      skipped++;
      continue;
    }
    const progress = (): SweepProgress => ({
      done: results.size,
      completed,
      total: manifest.runs.length,
      run,
      combination,
      etaSeconds: eta(manifest.runs.length - results.size),
    });
    options.onRunStart?.(progress());
    const started = process.hrtime.bigint();
    const file = await executeRun(
      plan,
      combination,
      { id: run.id, repeat: run.repeat, seed: run.seed },
      join(outDir, run.file),
      { intervalMs: options.intervalMs, signal: options.signal },
    );
    if (!file) {
      interrupted = true;
      break;
    }
    executed++;
    if (file.backends[0]?.status === 'completed') completed++;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    Object.assign(run, { status: file.backends[0]?.status, seconds, finishedAt: new Date().toISOString() });
    await saveManifest(outDir, manifest);
    results.set(run.id, file);
    if (file.backends[0]?.status === 'unavailable') unavailable.add(availabilityKey(combination));
    measured.push(seconds);
    options.onRunDone?.(progress(), file);
  }
  return { results, resumed, executed, skipped, retried, interrupted };
}

/**
 * One harness run of one combination, written atomically to `path`. Call
 * floors are off: the sweep runs the harness dozens of times and its report
 * does not use them (they cost ~0.3–0.5 s a run). Undefined when `signal`
 * stopped it: an interrupted run measures the interruption, so nothing is
 * written and resuming runs it again.
 */
export async function executeRun(
  plan: SweepPlan,
  combination: Combination,
  run: { id: string; repeat: number; seed: number },
  path: string,
  options: { intervalMs?: number; signal?: AbortSignal } = {},
): Promise<ResultsFile | undefined> {
  const { scenario, parameters } = scenarioFor(plan, combination);
  const file = await runBenchmark({
    scenario,
    parameters,
    backends: [backendChoice(combination)],
    run: { ...runParameters(plan, { ...run, combination: combination.index }), seed: run.seed },
    intervalMs: options.intervalMs,
    callFloors: false,
    signal: options.signal,
  });
  if (options.signal?.aborted) return undefined;
  // Where this file came from, so a results folder can be read without the manifest.
  file.environment.extra = {
    ...file.environment.extra,
    sweep: { fingerprint: plan.fingerprint, run: run.id, combination: combination.label, repeat: run.repeat },
  };
  await writeAtomically(path, `${JSON.stringify(file, null, 2)}\n`);
  return file;
}

/**
 * A completed run, or undefined to run it (again). Only `completed` counts as
 * done: an errored, partial or interrupted run says more about that moment
 * (a worker killed, the machine out of memory, Ctrl-C) than about the
 * configuration, and the summary cannot rank it; an unavailable one is tried
 * again because the server may be up now.
 */
export async function loadIfDone(path: string): Promise<ResultsFile | undefined> {
  const file = await loadRun(path);
  return file && isDone(file) ? file : undefined;
}

function isDone(file: ResultsFile): boolean {
  return file.backends[0]?.status === 'completed';
}

/** The run's results file whatever its status; undefined when missing or cut short. */
async function loadRun(path: string): Promise<ResultsFile | undefined> {
  try {
    return await loadResults(path);
  } catch {
    return undefined;
  }
}
