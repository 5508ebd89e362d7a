/**
 * What `cachebench run` does once its arguments are resolved: run the
 * benchmark (once, or --repeat N times), write each results file, write the
 * report, and print the tables, the measurement notes and where everything is.
 */
import { isBackendPreset } from '../backends/registry.js';
import { INTERRUPTED } from '../harness/interrupt.js';
import { InterruptWatch } from '../harness/interrupt-watch.js';
import type { ResultsFile } from '../results/results.js';
import { writeResults } from '../results/results-io.js';
import { runBenchmark, type BenchmarkOptions } from '../harness/run-benchmark.js';
import {
  collectSeries,
  generateReport,
  notesForFiles,
  notRunLines,
  renderNotes,
  renderSummary,
  renderTable,
  summarize,
  type ReportOptions,
} from '../reports/index.js';
import type { ResolvedRun, RunCliOptions } from './commands/run.js';
import { runHeader } from './format-summary.js';
import { ProgressLine } from './progress-line.js';
import { painter } from '../shared/colour.js';
import { plural } from '../shared/plural.js';

const paintOut = painter(process.stdout);
const paintErr = painter(process.stderr);

interface ReportAttempt {
  summary?: string;
  tables?: string;
  notes?: string;
  html?: string;
  failure?: string;
}

export async function executeRun(resolved: ResolvedRun, options: RunCliOptions): Promise<number> {
  const progress = ProgressLine.enabled(options.quiet === true) ? new ProgressLine() : undefined;
  const log = (text: string): void => {
    if (!options.quiet) process.stderr.write(`${text}\n`);
  };
  // A second Ctrl-C exits at once; private servers and temp folders still go with their 'exit' handlers.
  const interrupt = new InterruptWatch({
    onFirst: () => {
      progress?.clear();
      log(
        'interrupted: stopping the running backend; the backends done so far are kept (Ctrl-C again to quit at once)',
      );
    },
    onSecond: () => process.exit(130),
  });
  try {
    return await measureAndReport(resolved, options, interrupt.signal, progress, log);
  } finally {
    interrupt.dispose();
  }
}

async function measureAndReport(
  resolved: ResolvedRun,
  options: RunCliOptions,
  signal: AbortSignal,
  progress: ProgressLine | undefined,
  log: (text: string) => void,
): Promise<number> {
  const { run, scenario, runPaths, guards } = resolved;
  const all: ResultsFile[] = [];
  for (const [index, path] of runPaths.entries()) {
    if (signal.aborted) break;
    // Repeats use seeds S, S+1, …: new keys each time, and the same series again for another side run with --seed S.
    const seed = run.seed + index;
    const which = runPaths.length > 1 ? ` (run ${index + 1} of ${runPaths.length})` : '';
    log(
      `cachebench: ${scenario.name} on ${resolved.backends.map((b) => b.label).join(', ')} — ${plural(run.procs, 'process', 'processes')} × ${run.ops === null ? `${run.durationSeconds} s` : plural(run.ops, 'op', 'ops')}, seed ${seed}${which}`,
    );
    const benchmark: BenchmarkOptions = {
      scenario,
      parameters: resolved.parameters,
      backends: resolved.backends,
      run: { ...run, seed },
      intervalMs: options.interval,
      noiseThresholdCores: guards.noiseThresholdCores,
      waitIdleSeconds: guards.waitIdleSeconds,
      retryNoisy: guards.retryNoisy,
      pin: guards.pin,
      signal,
      onProgress: progress ? (snapshot) => progress.update(snapshot) : undefined,
      onNotice: (text) => {
        progress?.clear();
        log(`  ${text}`);
      },
      onBackendDone: (result) => {
        progress?.clear();
        const noisy =
          result.hostNoise && result.hostNoise.noisyIntervals.length > 0
            ? ` — noisy host in ${plural(result.hostNoise.noisyIntervals.length, 'interval', 'intervals')}`
            : '';
        // An unavailable backend's reason is said once, at the top of the summary.
        const why = result.message && result.status !== 'unavailable' ? ` — ${result.message}` : '';
        log(`  ${result.label}: ${result.status}${why}${noisy}`);
      },
    };
    // Loaded only for --agents, so a local run never pays for it.
    const results = options.agents
      ? await (
          await import('../harness/agents/run-through-agents.js')
        ).runThroughAgents(benchmark, options.agents, options.agentSecretFile)
      : await runBenchmark(benchmark);
    if (signal.aborted && results.backends.length === 0) break; // stopped before any backend began: nothing to keep
    if (!signal.aborted && results.backends.every((b) => b.status === 'unavailable')) {
      // Nothing could run (a server that does not answer): no empty results file or report, one line per backend.
      for (const line of notRunLines([results])) process.stderr.write(`${paintErr('red', 'error:')} ${line}\n`);
      return exitCodeOf([results], options);
    }
    await writeResults(path, results);
    all.push(results);
  }
  if (signal.aborted) return reportInterrupted(all, runPaths);

  // ── REPORT STEP ──────────────────────────────────────────────────────────
  // The report's tables are the run's summary (one table implementation: reports/render-table.ts).
  const labels = runPaths.length > 1 ? runPaths.map((_, i) => `run-${String(i + 1).padStart(2, '0')}`) : undefined;
  const tableOptions = { percentiles: options.percentiles, exports: options.export };
  const report =
    options.report === false
      ? undefined
      : await writeReport(all, resolved.reportDir, { ...(labels ? { labels } : {}), ...tableOptions });
  process.stdout.write(
    `${runHeader(all[0]!)}${runPaths.length > 1 ? `, repeated ${runPaths.length} times (seeds ${run.seed}–${run.seed + runPaths.length - 1})` : ''}\n\n`,
  );
  // A backend that could not run (a server the user named that does not answer) is said first, once.
  writeNotRun(all);
  // The answer first: the ranking per action, then the tables, then the measurement notes.
  const summary = report?.summary ?? renderSummary(summarize(all, collectSeries(all, labels)));
  if (summary) process.stdout.write(`${summary}\n`);
  process.stdout.write(report?.tables ?? renderTable(all, { labels, percentiles: options.percentiles }));
  const notes = report?.notes ?? renderNotes(notesForFiles(all, labels), 'text');
  if (notes) process.stdout.write(`\n${notes}`);
  process.stdout.write(
    `\nresults: ${resolved.outPath}${runPaths.length > 1 ? ` (${runPaths.length} runs: ${runPaths.map((p) => p.slice(resolved.outPath.length + 1)).join(', ')})` : ''}\n`,
  );
  if (report?.html) process.stdout.write(`report:  ${report.html}\n`);
  if (report?.failure)
    process.stdout.write(
      `report:  not written (${report.failure}); make it with: cachebench report ${runPaths.join(' ')} --out ${resolved.reportDir}\n`,
    );
  // ─────────────────────────────────────────────────────────────────────────

  return exitCodeOf(all, options);
}

/**
 * After Ctrl-C: no report (it can be made later from the file), the tables of
 * what was kept, and where it is. Exit 130, as a shell reports a Ctrl-C.
 */
function reportInterrupted(all: readonly ResultsFile[], runPaths: readonly string[]): number {
  const written = runPaths.slice(0, all.length);
  if (all.length === 0) {
    process.stdout.write('interrupted before any backend started; no results file written\n');
    return 130;
  }
  process.stdout.write(`${runHeader(all[0]!)}, interrupted\n\n`);
  // The tables leave out what did not run; it is said here, as after a whole run.
  writeNotRun(all);
  process.stdout.write(
    renderTable([...all], {
      labels: written.length > 1 ? written.map((_, i) => `run-${String(i + 1).padStart(2, '0')}`) : undefined,
    }),
  );
  process.stdout.write(
    `\nresults: ${written.join(', ')} (interrupted: the backends done before Ctrl-C, and the one it stopped marked "${INTERRUPTED}")\n`,
  );
  process.stdout.write(`report:  not written; make it with: cachebench report ${written.join(' ')}\n`);
  return 130;
}

/** `not run: …` per backend that could not run, then a blank line; nothing when all ran (the tables leave them out). */
function writeNotRun(files: readonly ResultsFile[]): void {
  const lines = notRunLines(files);
  for (const line of lines) process.stdout.write(`${paintOut('yellow', 'not run:')} ${line}\n`);
  if (lines.length > 0) process.stdout.write('\n');
}

/** Labels the user named with --backends (not the default set, not a preset such as "all") that could not run here. */
function namedButUnavailable(files: readonly ResultsFile[], options: Pick<RunCliOptions, 'backends'>): string[] {
  if (options.backends === undefined || isBackendPreset(options.backends)) return [];
  return [...new Set(files.flatMap((r) => r.backends.filter((b) => b.status === 'unavailable').map((b) => b.label)))];
}

/**
 * 1 when a backend errored, is partial, or was named with --backends and could
 * not run here; 0 otherwise. A backend of the default set (or of a preset) that is
 * unavailable — no Redis on this machine — does not fail a run.
 */
export function exitCodeOf(files: readonly ResultsFile[], options: Pick<RunCliOptions, 'backends'>): number {
  if (files.some((r) => r.backends.some((b) => b.status === 'errored' || b.status === 'partial'))) return 1;
  return namedButUnavailable(files, options).length > 0 ? 1 : 0;
}

/** A failed report never loses the run: the results files are already written, and the failure is one line. */
async function writeReport(files: ResultsFile[], dir: string, options: ReportOptions): Promise<ReportAttempt> {
  try {
    const out = await generateReport(files, dir, options);
    return { summary: out.summaryText, tables: out.tables, notes: out.notesText, html: out.html };
  } catch (error) {
    return { failure: (error as Error).message.split('\n')[0] };
  }
}
