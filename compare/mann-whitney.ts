/**
 * Two-sided Mann-Whitney U (Wilcoxon rank-sum) test.
 *
 * The per-run statistics compare feeds in are few (typically 5 per side) and
 * can tie, because HDR histograms report bucket-equivalent values. So the
 * p-value is exact: the permutation distribution of the rank sum, with
 * mid-ranks for ties, counted by dynamic programming. Only for large samples
 * (where the DP would be slow and the normal approximation is good) does it
 * fall back to the normal approximation with the tie correction.
 */
export interface RankTestResult {
  /** U for the first sample: how many (x, y) pairs have x > y, ties counting ½. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
}

/** Above this pooled size the exact DP gives way to the normal approximation. */
const EXACT_LIMIT = 60;

export function mannWhitneyU(x: readonly number[], y: readonly number[]): RankTestResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs at least one value on each side');
  const ranks = midRanks([...x, ...y]);
  const rankSumX = ranks.slice(0, n1).reduce((a, b) => a + b, 0);
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  if (n <= EXACT_LIMIT) return { u, p: exactP(ranks, n1, rankSumX), method: 'exact' };
  return { u, p: normalP(ranks, n1, n2, u), method: 'normal' };
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
// at least as far from the mean as the observed one. Ranks are doubled so that
// mid-ranks (multiples of ½) become integer array indices.
function exactP(ranks: readonly number[], n1: number, observedSum: number): number {
  const doubled = ranks.map((r) => Math.round(r * 2));
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
  const total = ways[n1].reduce((a, b) => a + b, 0);
  const mean = (n1 * maxSum) / ranks.length;
  const observedDistance = Math.abs(observedSum * 2 - mean);
  let extreme = 0;
  ways[n1].forEach((count, s) => {
    // Small tolerance: the mean of doubled ranks can be fractional.
    if (count !== 0 && Math.abs(s - mean) >= observedDistance - 1e-9) extreme += count;
  });
  return Math.min(1, extreme / total);
}

function normalP(ranks: readonly number[], n1: number, n2: number, u: number): number {
  const n = n1 + n2;
  const tieCounts = new Map<number, number>();
  for (const r of ranks) tieCounts.set(r, (tieCounts.get(r) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of tieCounts.values()) tieTerm += t ** 3 - t;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return 1; // every value tied: no evidence either way
  const z = (Math.abs(u - (n1 * n2) / 2) - 0.5) / Math.sqrt(variance); // continuity correction
  return Math.min(1, 2 * (1 - standardNormalCdf(Math.max(0, z))));
}

/** Φ(z) via the Abramowitz–Stegun 7.1.26 erf approximation (error < 1.5e-7). */
export function standardNormalCdf(z: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(z) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
