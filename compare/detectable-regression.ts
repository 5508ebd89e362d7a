/**
 * The smallest regression a comparison could have caught, from its own noise.
 *
 * A pass says "no regression was seen", never "there is none": with few or
 * noisy runs a real 20% regression passes too. So every row gets the
 * regression that its test (and a gate limit, when one applies) would have
 * caught with 80% probability, given the noise this very comparison showed.
 *
 * Method: a seeded simulation of the decision itself. The observed log
 * values, each side (or each pair's difference) centred on its median, are
 * the noise model; a candidate regression r shifts head by log(1 + r); the
 * resampled data go through the same rank test at the same alpha, and the
 * point estimate through the limit. Bisection finds the r whose detection
 * rate reaches the power. Resampling the observed values, not a normal
 * curve, keeps the heavy tails latencies have; the exact tests' discreteness
 * is kept too, so 3 pairs report "none detectable" rather than a figure.
 */
import { median } from './bootstrap.js';
import type { Random } from '../shared/rng.js';

export interface DetectableOptions {
  /** Two-sided significance level of the test. */
  alpha: number;
  /** Detection probability the answer is for. @default 0.8 */
  power?: number;
  /** A gate limit as a fraction (0.1 = 10%): a regression must also exceed it to fail. @default 0 */
  limit?: number;
  /** Simulated comparisons per candidate. @default 400 */
  simulations?: number;
  random: Random;
}

/** Above this, a regression is "not detectable" for practical purposes (×100 slower). */
const LARGEST = 99;
const BISECTION_STEPS = 24;

/**
 * Paired runs: `differences` are log(head/base) of the pairs, oriented so that
 * positive is worse. Returns the regression as a fraction (0.12 = +12%), or
 * Infinity when no regression up to ×100 would be caught.
 */
export function detectablePairedRegression(differences: readonly number[], options: DetectableOptions): number {
  const n = differences.length;
  const critical = signedRankCritical(n, options.alpha);
  if (critical === undefined) return Number.POSITIVE_INFINITY;
  const centre = median(differences);
  const noise = differences.map((d) => d - centre);
  const sample = new Array<number>(n);
  const detects = (shift: number): boolean => {
    for (let i = 0; i < n; i++) sample[i] = noise[Math.floor(options.random() * n)]! + shift;
    return median(sample) > Math.log1p(options.limit ?? 0) && positiveRankSum(sample) >= critical;
  };
  return searchRegression(detects, options);
}

/**
 * Independent sides: log values of the per-run statistic, oriented so that
 * higher is worse. Same answer shape as the paired version.
 */
export function detectableUnpairedRegression(
  baseLogs: readonly number[],
  headLogs: readonly number[],
  options: DetectableOptions,
): number {
  const n1 = headLogs.length;
  const n2 = baseLogs.length;
  const critical = rankSumCritical(n1, n2, options.alpha);
  if (critical === undefined) return Number.POSITIVE_INFINITY;
  const baseNoise = centred(baseLogs);
  const headNoise = centred(headLogs);
  const base = new Array<number>(n2);
  const head = new Array<number>(n1);
  const detects = (shift: number): boolean => {
    for (let i = 0; i < n2; i++) base[i] = baseNoise[Math.floor(options.random() * n2)]!;
    for (let i = 0; i < n1; i++) head[i] = headNoise[Math.floor(options.random() * n1)]! + shift;
    return median(head) - median(base) > Math.log1p(options.limit ?? 0) && uStatistic(head, base) >= critical;
  };
  return searchRegression(detects, options);
}

function centred(values: readonly number[]): number[] {
  const centre = median(values);
  return values.map((v) => v - centre);
}

function searchRegression(detects: (shift: number) => boolean, options: DetectableOptions): number {
  const power = options.power ?? 0.8;
  const simulations = options.simulations ?? 400;
  const rate = (regression: number): number => {
    const shift = Math.log1p(regression);
    let hits = 0;
    for (let i = 0; i < simulations; i++) if (detects(shift)) hits++;
    return hits / simulations;
  };
  if (rate(LARGEST) < power) return Number.POSITIVE_INFINITY;
  // Bisection on log(1 + r): detection rate grows with the shift.
  let low = 0;
  let high = Math.log1p(LARGEST);
  for (let step = 0; step < BISECTION_STEPS; step++) {
    const mid = (low + high) / 2;
    if (rate(Math.expm1(mid)) >= power) high = mid;
    else low = mid;
  }
  return Math.expm1(high);
}

/**
 * The smallest positive rank sum W+ whose one-sided tail is at most alpha/2
 * for n untied pairs (the two-sided test's "slower" side), or undefined when
 * no data can reach it (fewer than 6 pairs at alpha 0.05).
 */
export function signedRankCritical(n: number, alpha: number): number | undefined {
  const max = (n * (n + 1)) / 2;
  const ways = new Float64Array(max + 1);
  ways[0] = 1;
  for (let r = 1; r <= n; r++) for (let s = max - r; s >= 0; s--) if (ways[s] !== 0) ways[s + r]! += ways[s]!;
  const all = 2 ** n;
  let tail = 0;
  for (let w = max; w >= 0; w--) {
    tail += ways[w]!;
    if (tail / all > alpha / 2) return w === max ? undefined : w + 1;
  }
  return 0;
}

/**
 * The smallest U (pairs head > base) whose one-sided tail is at most alpha/2
 * for untied samples of n1 head and n2 base values, or undefined when none can be.
 */
export function rankSumCritical(n1: number, n2: number, alpha: number): number | undefined {
  const max = n1 * n2;
  // counts(i, j)[u]: orderings of i head and j base values whose U (head-above-base pairs) is u.
  // The largest value is either a head value, above all j base values, or a base value.
  const memo = new Map<string, Float64Array>();
  const counts = (i: number, j: number): Float64Array => {
    const key = `${i},${j}`;
    const cached = memo.get(key);
    if (cached) return cached;
    const out = new Float64Array(max + 1);
    if (i === 0 || j === 0) out[0] = 1;
    else {
      const headLargest = counts(i - 1, j);
      const baseLargest = counts(i, j - 1);
      for (let u = 0; u <= max; u++) out[u] = (u >= j ? headLargest[u - j]! : 0) + baseLargest[u]!;
    }
    memo.set(key, out);
    return out;
  };
  const distribution = counts(n1, n2);
  const all = distribution.reduce((a, b) => a + b, 0);
  let tail = 0;
  for (let u = max; u >= 0; u--) {
    tail += distribution[u]!;
    if (tail / all > alpha / 2) return u === max ? undefined : u + 1;
  }
  return 0;
}

function positiveRankSum(values: readonly number[]): number {
  const order = values.map((v, i) => [Math.abs(v), i] as const).sort((a, b) => a[0] - b[0]);
  let sum = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (values[order[k]![1]]! > 0) sum += rank;
    i = j + 1;
  }
  return sum;
}

function uStatistic(head: readonly number[], base: readonly number[]): number {
  let u = 0;
  for (const h of head) for (const b of base) u += h > b ? 1 : h === b ? 0.5 : 0;
  return u;
}
