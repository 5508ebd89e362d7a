import { describe, expect, it } from 'vitest';
import {
  detectablePairedRegression,
  detectableUnpairedRegression,
  rankSumCritical,
  signedRankCritical,
} from '../../compare/detectable-regression.js';
import { mannWhitneyU } from '../../compare/mann-whitney.js';
import { signedRankTest } from '../../compare/signed-rank.js';
import { seededRandom } from '../../shared/rng.js';

/** Φ⁻¹ by bisection on the error function's complement (enough for test data). */
function normalQuantile(p: number): number {
  let low = -10;
  let high = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    const cdf = 0.5 * (1 + erf(mid / Math.SQRT2));
    if (cdf < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}
function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y =
    1 -
    t *
      (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
      Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
/** n values that are exactly normal in shape: the normal quantiles at (i − ½)/n, times sigma. */
const normalSample = (n: number, sigma: number): number[] =>
  Array.from({ length: n }, (_, i) => sigma * normalQuantile((i + 0.5) / n));
/** Box–Muller from a seeded stream. */
function normalDraws(random: () => number, n: number, mean: number, sigma: number): number[] {
  return Array.from(
    { length: n },
    () => mean + sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()),
  );
}

describe('critical values of the exact tests', () => {
  it('match the published tables (two-sided alpha 0.05)', () => {
    // Wilcoxon signed-rank: reject when the smaller rank sum T ≤ T*, so W+ ≥ n(n+1)/2 − T*. T*: n=6 → 0, n=10 → 8, n=20 → 52.
    expect(signedRankCritical(5, 0.05)).toBeUndefined();
    expect(signedRankCritical(6, 0.05)).toBe(21);
    expect(signedRankCritical(10, 0.05)).toBe(55 - 8);
    expect(signedRankCritical(20, 0.05)).toBe(210 - 52);
    // Mann-Whitney: reject when min(U) ≤ U*, so U ≥ n1·n2 − U*. U*: 4,4 → 0; 5,5 → 2; 8,8 → 13.
    expect(rankSumCritical(3, 3, 0.05)).toBeUndefined();
    expect(rankSumCritical(4, 4, 0.05)).toBe(16);
    expect(rankSumCritical(5, 5, 0.05)).toBe(23);
    expect(rankSumCritical(8, 8, 0.05)).toBe(64 - 13);
  });
});

describe('detectable regression, paired', () => {
  it('is none with too few pairs for the test to reach alpha', () => {
    expect(detectablePairedRegression([0.01, -0.02, 0.03, 0, 0.01], { alpha: 0.05, random: seededRandom(1) })).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it('is caught about 80% of the time by the real test on fresh normal data', () => {
    const sigma = 0.05;
    const n = 12;
    const mde = detectablePairedRegression(normalSample(n, sigma), { alpha: 0.05, random: seededRandom(2) });
    // Normal theory for a t-test, widened by the signed-rank test's efficiency (3/π): about +5%.
    const approx = Math.expm1(((1.96 + 0.84) * sigma) / Math.sqrt(n) / Math.sqrt(3 / Math.PI));
    expect(mde).toBeGreaterThan(approx * 0.7);
    expect(mde).toBeLessThan(approx * 1.5);
    const random = seededRandom(3);
    const trials = 1_000;
    let caught = 0;
    for (let t = 0; t < trials; t++) {
      const d = normalDraws(random, n, Math.log1p(mde), sigma);
      const test = signedRankTest(d, 'two-sided');
      if (test.p < 0.05 && test.wPlus > (n * (n + 1)) / 4) caught++;
    }
    expect(caught / trials).toBeGreaterThan(0.72);
    expect(caught / trials).toBeLessThan(0.88);
  });

  it('grows with the noise and shrinks with more pairs', () => {
    const at = (n: number, sigma: number) =>
      detectablePairedRegression(normalSample(n, sigma), { alpha: 0.05, random: seededRandom(4) });
    expect(at(10, 0.1)).toBeGreaterThan(at(10, 0.05) * 1.6);
    expect(at(30, 0.05)).toBeLessThan(at(10, 0.05) * 0.75);
  });

  it('is never below a gate limit, and close above it when the runs are precise', () => {
    const mde = detectablePairedRegression(normalSample(20, 0.01), {
      alpha: 0.05,
      limit: 0.1,
      random: seededRandom(5),
    });
    expect(mde).toBeGreaterThan(0.1);
    expect(mde).toBeLessThan(0.115);
  });
});

describe('detectable regression, independent runs', () => {
  it('is none at 3 runs a side, finite at 5', () => {
    const options = { alpha: 0.05, random: seededRandom(6) };
    expect(detectableUnpairedRegression(normalSample(3, 0.05), normalSample(3, 0.05), options)).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(detectableUnpairedRegression(normalSample(5, 0.05), normalSample(5, 0.05), options)).toBeLessThan(1);
  });

  it('is caught about 80% of the time by the real rank test on fresh normal data', () => {
    const sigma = 0.05;
    const n = 8;
    const mde = detectableUnpairedRegression(normalSample(n, sigma), normalSample(n, sigma), {
      alpha: 0.05,
      random: seededRandom(7),
    });
    const random = seededRandom(8);
    const trials = 600;
    let caught = 0;
    for (let t = 0; t < trials; t++) {
      const base = normalDraws(random, n, 0, sigma);
      const head = normalDraws(random, n, Math.log1p(mde), sigma);
      const test = mannWhitneyU(head, base);
      if (test.p < 0.05 && test.u > (n * n) / 2) caught++;
    }
    expect(caught / trials).toBeGreaterThan(0.7);
    expect(caught / trials).toBeLessThan(0.9);
  });
});
