/**
 * The Mann-Whitney U (Wilcoxon rank-sum) test, two-sided or one-sided.
 *
 * The per-run statistics compare and sweep feed in are few (typically 3–6 a
 * side) and can tie, because HDR histograms report bucket-equivalent values.
 * So the p-value is exact: the permutation distribution of the rank sum given
 * the pooled mid-ranks (the distribution conditional on the ties), counted by
 * dynamic programming. Only for large samples, where the count would be slow
 * and the normal approximation is good, does it use the normal approximation
 * with tie and continuity corrections.
 *
 * The originals matched (test/compare/fixtures/scipy-rank-tests.py):
 *   - exact: `scipy.stats.permutation_test` of the U statistic over every
 *     split of the pooled values (`permutation_type='independent'`,
 *     `n_resamples=np.inf`). One-sided p-values are the tails P(U ≤ u) and
 *     P(U ≥ u); two-sided is twice the smaller tail, capped at 1. Without ties
 *     this equals `scipy.stats.mannwhitneyu(method='exact')`. With ties that
 *     call has no exact answer (its default switches to the normal
 *     approximation), so the conditional permutation test is the original.
 *   - normal: `scipy.stats.mannwhitneyu(method='asymptotic')` with its
 *     default continuity correction.
 */
import { standardNormalSf } from './normal-distribution.js';

/**
 * `two-sided`: x and y differ. `less`: x tends to be smaller than y.
 * `greater`: x tends to be larger than y. (scipy's meaning of `alternative`.)
 */
export type Alternative = 'two-sided' | 'less' | 'greater';

export interface RankTestResult {
  /** U for the first sample: how many (x, y) pairs have x > y, ties counting ½ (scipy's U1). */
  u: number;
  /** p-value for the alternative asked for. */
  p: number;
  alternative: Alternative;
  method: 'exact' | 'normal';
}

/** Above this pooled size the exact count gives way to the normal approximation. */
const EXACT_LIMIT = 60;

export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  alternative: Alternative = 'two-sided',
): RankTestResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs at least one value on each side');
  if (![...x, ...y].every(Number.isFinite)) throw new RangeError('mannWhitneyU needs finite values');
  const ranks = midRanks([...x, ...y]);
  const rankSumX = ranks.slice(0, n1).reduce((a, b) => a + b, 0);
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  if (n1 + n2 <= EXACT_LIMIT) return { u, p: exactP(ranks, n1, rankSumX, alternative), alternative, method: 'exact' };
  return { u, p: normalP(ranks, n1, n2, u, alternative), alternative, method: 'normal' };
}

/**
 * The smallest two-sided p-value any data can give with these sample sizes
 * (complete separation, no ties). If it exceeds alpha, the test can never
 * reject and the caller should say so instead of reporting "no change".
 */
export function minimumTwoSidedP(n1: number, n2: number): number {
  let combinations = 1;
  for (let i = 1; i <= n1; i++) combinations = (combinations * (n2 + i)) / i;
  return Math.min(1, 2 / combinations);
}

/** The fewest runs a side (equal sides) with which the rank test can reach p ≤ alpha: 4 for alpha 0.05. */
export function runsNeededPerSide(alpha: number): number {
  let n = 1;
  while (minimumTwoSidedP(n, n) > alpha) n++;
  return n;
}

function midRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1; // ranks are 1-based; ties share their average
    for (let k = i; k <= j; k++) ranks[order[k][1]] = rank;
    i = j + 1;
  }
  return ranks;
}

// Counts, over all ways to pick n1 of the pooled ranks, how many rank sums lie
// at or below and at or above the observed one. Ranks are doubled so that
// mid-ranks (multiples of ½) become integer array indices and every
// comparison with the observed sum is exact.
function exactP(ranks: readonly number[], n1: number, observedSum: number, alternative: Alternative): number {
  const doubled = ranks.map((r) => Math.round(r * 2));
  const observed = Math.round(observedSum * 2);
  const maxSum = doubled.reduce((a, b) => a + b, 0);
  // ways[k][s]: number of k-subsets of the ranks seen so far with doubled sum s.
  const ways: Float64Array[] = Array.from({ length: n1 + 1 }, () => new Float64Array(maxSum + 1));
  ways[0][0] = 1;
  for (const r of doubled) {
    for (let k = n1; k >= 1; k--) {
      const from = ways[k - 1];
      const to = ways[k];
      for (let s = maxSum - r; s >= 0; s--) if (from[s] !== 0) to[s + r] += from[s];
    }
  }
  let atOrBelow = 0;
  let atOrAbove = 0;
  ways[n1].forEach((count, s) => {
    if (s <= observed) atOrBelow += count;
    if (s >= observed) atOrAbove += count;
  });
  const total = ways[n1].reduce((a, b) => a + b, 0);
  // The rank sum of x grows with U of x, so "x less than y" is the lower tail.
  const less = atOrBelow / total;
  const greater = atOrAbove / total;
  const p = alternative === 'less' ? less : alternative === 'greater' ? greater : 2 * Math.min(less, greater);
  return Math.min(1, p);
}

function normalP(ranks: readonly number[], n1: number, n2: number, u: number, alternative: Alternative): number {
  const n = n1 + n2;
  const tieCounts = new Map<number, number>();
  for (const r of ranks) tieCounts.set(r, (tieCounts.get(r) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of tieCounts.values()) tieTerm += t ** 3 - t;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const mean = (n1 * n2) / 2;
  // As scipy: the upper tail of the U that the alternative makes large, doubled for two-sided.
  const uOther = n1 * n2 - u;
  const tailU = alternative === 'greater' ? u : alternative === 'less' ? uOther : Math.max(u, uOther);
  const numerator = tailU - mean - 0.5; // continuity correction
  if (variance <= 0) return 1; // every value tied: numerator is −½, z = −∞, no evidence either way
  const p = standardNormalSf(numerator / Math.sqrt(variance)) * (alternative === 'two-sided' ? 2 : 1);
  return Math.min(1, Math.max(0, p));
}
