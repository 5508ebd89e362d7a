/**
 * Over-time points that rest on enough operations. The harness records one
 * interval per `--interval` (default 1 s) whatever the run's rate; a point of
 * 40 deletes has a p99 that is its maximum, and a 1.4 s run has one and a half
 * points. So the report joins consecutive intervals into bins (adding their
 * histograms, never averaging percentiles):
 *
 * - a bin aims at OPS_PER_POINT operations, enough for its p99 to have 10
 *   beyond it (tail-samples.ts);
 * - but a series keeps at least TARGET_POINTS points when it has that many
 *   intervals: a course over time needs points more than it needs each p99
 *   (such p99 points are drawn hollow);
 * - a plot needs some series with MIN_POINTS bins, or it is left out and the
 *   report says why.
 */
import { createMergeHistogram, decodeHistogram } from '../results/histogram.js';
import type { IntervalSample } from '../results/results.js';
import { minimumCountFor } from './tail-samples.js';

/** Operations a point aims at: its p99 then has 10 beyond it. */
export const OPS_PER_POINT = minimumCountFor(99);
/** Points a series keeps when it has that many intervals. */
export const TARGET_POINTS = 5;
/** Fewer points than this draw no course over time. */
export const MIN_POINTS = 3;

export interface IntervalBin {
  /** Seconds since the measurement start. */
  start: number;
  seconds: number;
  intervals: IntervalSample[];
}

/** How many intervals go in one bin, given each interval's operation count. */
export function intervalsPerBin(counts: readonly number[]): number {
  const n = counts.length;
  if (n === 0) return 1;
  const mean = counts.reduce((t, c) => t + c, 0) / n;
  const forOps = mean > 0 ? Math.ceil(OPS_PER_POINT / mean) : 1;
  const keepingPoints = Math.max(1, Math.floor(n / TARGET_POINTS));
  return Math.max(1, Math.min(forOps, keepingPoints));
}

/**
 * Consecutive intervals joined `k` at a time (k from `intervalsPerBin` over
 * `countOf`). A last bin of fewer than half of k intervals joins the bin
 * before it rather than standing as a point on a handful of operations.
 */
export function binIntervals(
  intervals: readonly IntervalSample[],
  countOf: (i: IntervalSample) => number,
): IntervalBin[] {
  const usable = intervals.filter((i) => i.seconds > 0);
  const k = intervalsPerBin(usable.map(countOf));
  const groups: IntervalSample[][] = [];
  for (let i = 0; i < usable.length; i += k) groups.push(usable.slice(i, i + k));
  if (groups.length > 1 && groups.at(-1)!.length * 2 < k) groups.at(-2)!.push(...groups.pop()!);
  return groups.map((g) => ({ start: g[0]!.start, seconds: g.reduce((t, i) => t + i.seconds, 0), intervals: g }));
}

/** An action's operations, p50 and p99 over a bin: from the interval itself, or from the sum of the intervals' histograms. */
export function binLatency(
  bin: IntervalBin,
  action: string,
  where: string,
): { count: number; p50: number; p99: number } | undefined {
  const parts = bin.intervals.map((i) => i.actions[action]).filter((a) => a !== undefined && a.count > 0);
  if (parts.length === 0) return undefined;
  if (parts.length === 1) return { count: parts[0]!.count, p50: parts[0]!.p50, p99: parts[0]!.p99 };
  const sum = createMergeHistogram();
  for (const a of parts) sum.add(decodeHistogram(a!.histogram, where));
  return { count: sum.totalCount, p50: sum.getValueAtPercentile(50), p99: sum.getValueAtPercentile(99) };
}

/**
 * Why an over-time plot is left out, or undefined when some series has
 * MIN_POINTS points of its own. `series` gives each series' intervals.
 */
export function overTimeOmission(
  intervalsOfSeries: readonly (readonly IntervalSample[])[],
  countOf: (i: IntervalSample) => number,
): string | undefined {
  const points = intervalsOfSeries.map(
    (intervals) => binIntervals(intervals, countOf).filter((b) => b.intervals.some((i) => countOf(i) > 0)).length,
  );
  if (points.some((p) => p >= MIN_POINTS)) return undefined;
  const stretches = intervalsOfSeries.map((intervals) => intervals.filter((i) => countOf(i) > 0));
  const longest = stretches.reduce(
    (best, s) => (s.reduce((t, i) => t + i.seconds, 0) > best.reduce((t, i) => t + i.seconds, 0) ? s : best),
    [] as IntervalSample[],
  );
  if (longest.length === 0) return 'no operations were recorded per interval';
  const seconds = longest.reduce((t, i) => t + i.seconds, 0);
  const step = Math.max(...longest.map((i) => i.seconds));
  return `no backend has ${MIN_POINTS} points to draw: the longest measured stretch is ${seconds.toFixed(2)} s in ${longest.length} interval${longest.length === 1 ? '' : 's'} of ${step.toFixed(2)} s; measure longer (--duration) or sample finer (e.g. --interval ${Math.max(10, Math.floor((seconds * 1000) / (TARGET_POINTS * 2) / 10) * 10)})`;
}
