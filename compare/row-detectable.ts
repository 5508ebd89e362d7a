import { detectablePairedRegression, detectableUnpairedRegression } from './detectable-regression.js';
import type { CompareMode, ComparisonRow } from './report.js';
import { seededRandom } from '../shared/rng.js';

/**
 * The smallest regression a row's test, and a gate limit when given, would
 * have caught 80% of the time, from the row's own per-run values: paired log
 * ratios in paired mode, each side's log values otherwise. Undefined where the
 * row has no per-run values to judge by (within-run or not-judged rows).
 */
export function rowDetectable(
  row: ComparisonRow,
  mode: CompareMode,
  alpha: number,
  seed: number,
  limit = 0,
): number | undefined {
  const base = row.base.values;
  const head = row.head.values;
  if (!base || !head || row.verdict === 'not judged') return undefined;
  if (mode !== 'paired-runs' && mode !== 'repeated-runs') return undefined;
  // Oriented so that positive is worse: higher latency, lower throughput.
  const worse = (v: number): number => (row.kind === 'latency' ? Math.log(v) : -Math.log(v));
  const options = { alpha, limit, random: seededRandom(seed) };
  if (mode === 'paired-runs')
    return detectablePairedRegression(
      head.map((h, i) => worse(h) - worse(base[i]!)),
      options,
    );
  return detectableUnpairedRegression(base.map(worse), head.map(worse), options);
}

/** The report's form of a detectable regression: Infinity (nothing up to ×100 caught) reads 'none'. */
export function detectableOrNone(detectable: number): number | 'none' {
  return Number.isFinite(detectable) ? detectable : 'none';
}
