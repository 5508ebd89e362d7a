/**
 * Wilcoxon signed-rank test for paired runs: base run i and head run i made
 * back to back (interleaved), so a slow phase of a shared machine moves both.
 * The input is one difference per pair (compare feeds log(head/base)).
 *
 * Zero differences are dropped (Wilcoxon's treatment, scipy's default
 * `zero_method='wilcox'`). Tied magnitudes share their mid-rank, and the
 * p-value is exact: the distribution of the positive rank sum over all 2^n
 * sign assignments of the observed ranks, counted by dynamic programming on
 * doubled ranks (so mid-ranks are integers). Without ties this is scipy's
 * `wilcoxon(method='exact')`; with ties it is the exact sign-flip permutation
 * test of the same statistic (scipy's `permutation_test(…, permutation_type=
 * 'samples')`), which scipy's `wilcoxon` only approximates.
 */
import { midRanks } from './mid-ranks.js';

export type Alternative = 'greater' | 'less' | 'two-sided';

export interface SignedRankResult {
  /** Sum of the ranks of the positive differences. */
  wPlus: number;
  /** Non-zero differences, the n of the test. */
  n: number;
  p: number;
}

/** Above this many non-zero pairs the counts would outgrow exact doubles; no gate runs that many. */
const EXACT_LIMIT = 200;

export function signedRankTest(differences: readonly number[], alternative: Alternative): SignedRankResult {
  const nonZero = differences.filter((d) => d !== 0);
  if (differences.some((d) => !Number.isFinite(d))) throw new RangeError('signedRankTest needs finite differences');
  const n = nonZero.length;
  if (n === 0) return { wPlus: 0, n: 0, p: 1 };
  if (n > EXACT_LIMIT) throw new RangeError(`signedRankTest is exact up to ${EXACT_LIMIT} pairs; got ${n}`);
  const ranks = midRanks(nonZero.map(Math.abs));
  const doubled = ranks.map((r) => Math.round(r * 2));
  const wPlusDoubled = doubled.reduce((sum, r, i) => (nonZero[i]! > 0 ? sum + r : sum), 0);
  const total = doubled.reduce((a, b) => a + b, 0);
  // ways[s]: sign assignments whose positive ranks sum (doubled) to s.
  const ways = new Float64Array(total + 1);
  ways[0] = 1;
  for (const r of doubled) for (let s = total - r; s >= 0; s--) if (ways[s] !== 0) ways[s + r]! += ways[s]!;
  const all = 2 ** n;
  let atLeast = 0;
  let atMost = 0;
  for (let s = 0; s <= total; s++) {
    if (s >= wPlusDoubled) atLeast += ways[s]!;
    if (s <= wPlusDoubled) atMost += ways[s]!;
  }
  const greater = atLeast / all;
  const less = atMost / all;
  const p =
    alternative === 'greater' ? greater : alternative === 'less' ? less : Math.min(1, 2 * Math.min(greater, less));
  return { wPlus: wPlusDoubled / 2, n, p };
}

/** The smallest one-sided p-value n pairs can give (every difference the same sign): 1 / 2^n. */
export function minimumOneSidedP(pairs: number): number {
  return 2 ** -pairs;
}

/** The fewest pairs with which a one-sided signed-rank test can reach p ≤ alpha: 5 for alpha 0.05. */
export function pairsNeeded(alpha: number): number {
  let n = 1;
  while (minimumOneSidedP(n) > alpha) n++;
  return n;
}
