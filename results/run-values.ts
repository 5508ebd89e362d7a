/**
 * The figures the summary ranks, per backend, per action and per run: a
 * single results file is one run; several files of one configuration on one
 * host (`run --repeat`) are repeats of each backend; a merged file carries its
 * runs' figures in `environment.extra.perRun` (written by merge-results.ts),
 * because its summed histograms no longer tell the runs apart.
 */
import type { ResultsFile } from './results.js';

/** One run's figures for one backend and action: latencies in ns, throughput in answered operations per second. */
export interface RunFigures {
  p50: number;
  p99: number;
  throughput: number;
  count: number;
}

/** Per backend label, per action: the figures of one run. */
export type RunRecord = Record<string, Record<string, RunFigures>>;

export const PER_RUN_KEY = 'perRun';

/** The figures of one backend result. */
export function figuresOf(actions: ResultsFile['backends'][number]['actions']): Record<string, RunFigures> {
  const out: Record<string, RunFigures> = {};
  for (const [action, r] of Object.entries(actions)) {
    if (r.count > 0)
      out[action] = { p50: r.percentiles.p50, p99: r.percentiles.p99, throughput: r.throughput, count: r.count };
  }
  return out;
}

/** A file's runs: its own figures, or the per-run figures a merge kept. */
export function runRecords(file: ResultsFile): RunRecord[] {
  const kept = file.environment.extra?.[PER_RUN_KEY];
  if (Array.isArray(kept) && kept.length > 0) return kept as RunRecord[];
  const record: RunRecord = {};
  for (const b of file.backends) if (b.status !== 'unavailable') record[b.label] = figuresOf(b.actions);
  return [record];
}
