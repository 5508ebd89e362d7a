/**
 * Percentile `p` of an action, for the `--percentiles` columns
 * (percentile-list.ts): the results file's own figure where it stores one,
 * else read from the action's full histogram.
 */
import { decodeHistogram, type Histogram } from '../results/histogram.js';
import type { ActionResult } from '../results/results.js';

/** The results file's own percentiles (computed by the harness from the same histogram) by percentile. */
const STORED: Record<number, keyof ActionResult['percentiles']> = { 50: 'p50', 90: 'p90', 99: 'p99', 99.9: 'p999' };

const decoded = new WeakMap<ActionResult, Histogram>();

/** Percentile `p` of an action in ns: the stored figure where the file has one, else from its histogram. */
export function percentileValue(result: ActionResult, p: number): number {
  const stored = STORED[p];
  if (stored !== undefined) return result.percentiles[stored];
  if (result.count === 0) return 0;
  let histogram = decoded.get(result);
  if (!histogram) decoded.set(result, (histogram = decodeHistogram(result.histogram)));
  return histogram.getValueAtPercentile(p);
}
