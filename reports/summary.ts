/**
 * The answer first: per action, the backends ranked by median (and by p99)
 * with ratios to the fastest and to a reference backend, then throughput —
 * what `cachebench run` and `report` print above the tables and index.html
 * shows at its top. With repeats (`run --repeat`, or a merged file) every
 * figure is the median over runs with the range (min–max) over runs beside it;
 * ratios are taken run by run (backend A in run i over backend B in run i),
 * so a run that was slow for everyone does not widen them.
 */
import type { ResultsFile } from '../results/results.js';
import { ReportError } from './errors.js';
import { sameConfiguration } from '../results/merge-results.js';
import { runRecords, figuresOf, type RunFigures } from '../results/run-values.js';
import type { Series } from './series.js';
import { actionsOf } from './series.js';
import { isThinPercentile } from './tail-samples.js';

/** Backends measured as floors, preferred in this order as the reference when `--reference` is not given. */
export const FLOOR_BACKENDS: readonly string[] = ['sqlite-raw', 'memory'];

/**
 * Open loop: the achieved rate counts as short of the target below this
 * fraction of it. The measured wall time includes each worker's last
 * operation and its exit, so a run on target lands a little under 100%.
 */
export const RATE_TOLERANCE = 0.95;

/** A figure over one or more runs: the median over runs, with the range when there are several. */
export interface Estimate {
  value: number;
  /** Min and max over runs; present only when `runs` > 1. */
  low?: number;
  high?: number;
  runs: number;
}

export interface RankedEntry {
  label: string;
  name: string;
  median: Estimate;
  p99: Estimate;
  throughput: Estimate;
  /** Times slower than the fastest backend other than the reference, by this statistic (1 for that one; below 1 for a faster reference). */
  medianVsBest: Estimate;
  p99VsBest: Estimate;
  /** Times slower than the reference (below 1: faster); absent without a reference. */
  medianVsReference?: Estimate;
  p99VsReference?: Estimate;
  /** Fewest operations in any run, and whether a p99 from that many is thin (tail-samples.ts). */
  count: number;
  p99Thin: boolean;
}

export interface ActionSummary {
  action: string;
  /** Ranked by median, fastest first. */
  byMedian: RankedEntry[];
  /** The same entries ranked by p99, fastest first. */
  byP99: RankedEntry[];
}

export interface ThroughputEntry {
  label: string;
  /** Answered operations per second over all actions. */
  opsPerSecond: Estimate;
  /** Open loop: the target rate (all processes together), the achieved fraction, and whether it fell short of RATE_TOLERANCE. */
  targetOpsPerSecond?: number;
  achievedFraction?: number;
  short?: boolean;
}

export interface Summary {
  /** Runs behind each figure (1, or the number of repeats). */
  runs: number;
  /** The reference's label, when there is one: ratios are given to it, and it is left out when naming the fastest. */
  reference?: string;
  actions: ActionSummary[];
  /** Highest throughput first. */
  throughput: ThroughputEntry[];
  rateTolerance: number;
}

export interface SummaryOptions {
  /** A backend label (or registry name) to compare against. @default the first of FLOOR_BACKENDS present */
  reference?: string;
}

interface Subject {
  label: string;
  name: string;
  /** Per action, one entry per run (undefined where that run lacks it). */
  runs: Record<string, (RunFigures | undefined)[]>;
  runCount: number;
  targetRate: number | null;
}

/** Files are repeats when they are runs of one configuration (what `merge` takes) on one host. */
export function areRepeats(files: readonly ResultsFile[]): boolean {
  if (files.length < 2) return false;
  const host = files[0]!.environment.hostname;
  return files.every((f) => f.environment.hostname === host) && sameConfiguration(files);
}

/**
 * Repeats (or one file, merged or not) rank each backend over its runs;
 * unrelated files rank every series once, so two machines' sqlite lines stay
 * apart ("box-a sqlite", "box-b sqlite").
 */
function subjectsOf(files: readonly ResultsFile[], series: readonly Series[]): Subject[] {
  if (files.length === 1 || areRepeats(files)) {
    const runs = files.flatMap(runRecords);
    return files[0]!.backends
      .filter((b) => b.status !== 'unavailable')
      .map((b) => {
        const actions = [...new Set(runs.flatMap((r) => Object.keys(r[b.label] ?? {})))];
        const perAction = Object.fromEntries(actions.map((a) => [a, runs.map((r) => r[b.label]?.[a])]));
        return { label: b.label, name: b.name, runs: perAction, runCount: runs.length, targetRate: files[0]!.run.rate };
      });
  }
  // collectSeries already leaves out the backends that did not run.
  return series.map((s) => {
    const perAction = Object.fromEntries(Object.entries(figuresOf(s.backend.actions)).map(([a, f]) => [a, [f]]));
    return { label: s.label, name: s.backend.name, runs: perAction, runCount: 1, targetRate: s.file.run.rate };
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function estimate(values: readonly number[]): Estimate {
  if (values.length === 0) return { value: Number.NaN, runs: 0 };
  if (values.length === 1) return { value: values[0]!, runs: 1 };
  return { value: median(values), low: Math.min(...values), high: Math.max(...values), runs: values.length };
}

/** a/b run by run, over the runs where both were measured. */
function pairedRatio(
  a: readonly (RunFigures | undefined)[],
  b: readonly (RunFigures | undefined)[],
  pick: (f: RunFigures) => number,
): Estimate {
  const ratios: number[] = [];
  a.forEach((x, i) => {
    const y = b[i];
    if (x && y && pick(y) > 0) ratios.push(pick(x) / pick(y));
  });
  return estimate(ratios);
}

function findReference(subjects: readonly Subject[], wanted: string | undefined): Subject | undefined {
  if (wanted !== undefined) {
    const found = subjects.find((s) => s.label === wanted) ?? subjects.find((s) => s.name === wanted);
    if (!found)
      throw new ReportError(
        'BAD_REFERENCE',
        `--reference ${wanted} names no backend in these results; choose one of ${subjects.map((s) => s.label).join(', ')}`,
      );
    return found;
  }
  for (const floor of FLOOR_BACKENDS) {
    const found = subjects.find((s) => s.name === floor);
    if (found) return found;
  }
  return undefined;
}

function rankAction(
  subjects: readonly Subject[],
  action: string,
  reference: Subject | undefined,
): ActionSummary | undefined {
  const present = subjects.filter((s) => s.runs[action]?.some((f) => f !== undefined));
  if (present.length === 0) return undefined;
  const defined = (s: Subject): RunFigures[] => s.runs[action]!.filter((f): f is RunFigures => f !== undefined);
  const p50 = new Map(present.map((s) => [s, estimate(defined(s).map((f) => f.p50))]));
  const p99 = new Map(present.map((s) => [s, estimate(defined(s).map((f) => f.p99))]));
  const ref = reference?.runs[action]?.some((f) => f !== undefined) ? reference : undefined;
  // The reference is the yardstick, not a competitor: "best" is the fastest of the others (unless it stands alone).
  const bestBy = (m: Map<Subject, Estimate>): Subject => {
    const rivals = [...m].filter(([s]) => s !== ref);
    return (rivals.length > 0 ? rivals : [...m]).reduce((best, cur) => (cur[1].value < best[1].value ? cur : best))[0];
  };
  const bestMedian = bestBy(p50);
  const bestP99 = bestBy(p99);
  const entries = present.map((s): RankedEntry => {
    const runs = s.runs[action]!;
    const count = Math.min(...defined(s).map((f) => f.count));
    return {
      label: s.label,
      name: s.name,
      median: p50.get(s)!,
      p99: p99.get(s)!,
      throughput: estimate(defined(s).map((f) => f.throughput)),
      medianVsBest: pairedRatio(runs, bestMedian.runs[action]!, (f) => f.p50),
      p99VsBest: pairedRatio(runs, bestP99.runs[action]!, (f) => f.p99),
      ...(ref
        ? {
            medianVsReference: pairedRatio(runs, ref.runs[action]!, (f) => f.p50),
            p99VsReference: pairedRatio(runs, ref.runs[action]!, (f) => f.p99),
          }
        : {}),
      count,
      p99Thin: isThinPercentile(count, 99),
    };
  });
  const by = (pick: (e: RankedEntry) => number) => [...entries].sort((a, b) => pick(a) - pick(b));
  return { action, byMedian: by((e) => e.median.value), byP99: by((e) => e.p99.value) };
}

function throughputOf(subject: Subject): ThroughputEntry {
  const totals: number[] = [];
  for (let run = 0; run < subject.runCount; run++) {
    const figures = Object.values(subject.runs)
      .map((r) => r[run])
      .filter((f): f is RunFigures => f !== undefined);
    if (figures.length > 0) totals.push(figures.reduce((t, f) => t + f.throughput, 0));
  }
  const opsPerSecond = estimate(totals);
  const entry: ThroughputEntry = { label: subject.label, opsPerSecond };
  if (subject.targetRate !== null && subject.targetRate > 0) {
    entry.targetOpsPerSecond = subject.targetRate;
    // The worst run decides: one run that fell behind is a run whose latencies include the backlog.
    const achieved = Math.min(...totals) / subject.targetRate;
    entry.achievedFraction = achieved;
    entry.short = achieved < RATE_TOLERANCE;
  }
  return entry;
}

export function summarize(
  files: readonly ResultsFile[],
  series: readonly Series[],
  options: SummaryOptions = {},
): Summary {
  const subjects = subjectsOf(files, series);
  const reference = findReference(subjects, options.reference);
  const actions = actionsOf(series)
    .map((a) => rankAction(subjects, a, reference))
    .filter((a): a is ActionSummary => a !== undefined);
  const throughput = subjects
    .map(throughputOf)
    .filter((t) => t.opsPerSecond.runs > 0)
    .sort((a, b) => b.opsPerSecond.value - a.opsPerSecond.value);
  return {
    runs: Math.max(1, ...subjects.map((s) => s.runCount)),
    ...(reference ? { reference: reference.label } : {}),
    actions,
    throughput,
    rateTolerance: RATE_TOLERANCE,
  };
}
