import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mannWhitneyU, minimumTwoSidedP, type Alternative } from '../../compare/mann-whitney.js';
import { standardNormalCdf } from '../../compare/normal-distribution.js';

/** Brute force: every way to split the pooled values, counting rank sums at or below / at or above the observed one. */
function bruteForceP(x: number[], y: number[], alternative: Alternative): number {
  const pooled = [...x, ...y];
  const sorted = [...pooled].sort((a, b) => a - b);
  const rank = (v: number): number => {
    const first = sorted.indexOf(v);
    const last = sorted.lastIndexOf(v);
    return (first + last) / 2 + 1;
  };
  const ranks = pooled.map(rank);
  const observed = ranks.slice(0, x.length).reduce((a, b) => a + b, 0);
  let below = 0;
  let above = 0;
  let total = 0;
  const choose = (start: number, left: number, sum: number): void => {
    if (left === 0) {
      total++;
      if (sum <= observed + 1e-9) below++;
      if (sum >= observed - 1e-9) above++;
      return;
    }
    for (let i = start; i <= ranks.length - left; i++) choose(i + 1, left - 1, sum + ranks[i]);
  };
  choose(0, x.length, 0);
  if (alternative === 'less') return below / total;
  if (alternative === 'greater') return above / total;
  return Math.min(1, (2 * Math.min(below, above)) / total);
}

describe('mannWhitneyU', () => {
  it('gives the exact p of complete separation for 5 vs 5', () => {
    const result = mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    expect(result.u).toBe(25);
    expect(result.p).toBeCloseTo(2 / 252, 12);
    expect(result.method).toBe('exact');
  });

  it('gives p = 1 when every value ties', () => {
    expect(mannWhitneyU([3, 3, 3], [3, 3, 3]).p).toBe(1);
  });

  it('matches brute-force permutation counting, one- and two-sided, ties included', () => {
    const sample = fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 6 });
    const alternative = fc.constantFrom<Alternative>('two-sided', 'less', 'greater');
    fc.assert(
      fc.property(sample, sample, alternative, (x, y, alt) => {
        expect(mannWhitneyU(x, y, alt).p).toBeCloseTo(bruteForceP(x, y, alt), 10);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it('uses the normal approximation for large samples and agrees on a clear shift', () => {
    const x = Array.from({ length: 40 }, (_, i) => i + 10);
    const y = Array.from({ length: 40 }, (_, i) => i);
    const result = mannWhitneyU(x, y);
    expect(result.method).toBe('normal');
    expect(result.p).toBeLessThan(0.05);
    expect(result.p).toBeGreaterThan(1e-6);
  });

  it('minimumTwoSidedP says when a sample is too small to ever reject', () => {
    expect(minimumTwoSidedP(5, 5)).toBeCloseTo(2 / 252, 12);
    expect(minimumTwoSidedP(3, 3)).toBeCloseTo(0.1, 12);
    expect(minimumTwoSidedP(1, 1)).toBe(1);
  });

  it('standardNormalCdf is accurate to 1e-6 at known points', () => {
    expect(standardNormalCdf(0)).toBeCloseTo(0.5, 6);
    expect(standardNormalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(standardNormalCdf(-2.326348)).toBeCloseTo(0.01, 6);
  });
});
