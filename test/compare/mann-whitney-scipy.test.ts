import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from '../../compare/mann-whitney.js';
import { standardNormalCdf, standardNormalSf } from '../../compare/normal-distribution.js';
import { ALTERNATIVES, expectClose, scipyRankTests } from './scipy-fixture.js';

const { cases, normal } = scipyRankTests;

describe('mannWhitneyU against scipy (fixtures/scipy-rank-tests.json)', () => {
  it('the fixture covers small and large samples, with and without ties', () => {
    expect(scipyRankTests.scipy).toMatch(/^1\.10\./);
    const count = (method: string, ties: boolean): number =>
      cases.filter((c) => c.method === method && c.ties === ties).length;
    expect(
      [count('exact', false), count('exact', true), count('asymptotic', false), count('asymptotic', true)].every(
        (n) => n >= 10,
      ),
    ).toBe(true);
  });

  describe.each(ALTERNATIVES)('%s', (alternative) => {
    it.each(cases.filter((c) => c.method === 'exact').map((c) => [c.name, c] as const))(
      'exact, as scipy.stats.permutation_test: %s',
      (name, c) => {
        const result = mannWhitneyU(c.x, c.y, alternative);
        expect(result.method).toBe('exact');
        expect(result.u).toBe(c.u);
        expectClose(result.p, c.p[alternative], `${name} ${alternative}`);
        // Without ties the conditional permutation test is mannwhitneyu's exact test.
        if (c.mannwhitneyuExact)
          expectClose(result.p, c.mannwhitneyuExact[alternative], `${name} ${alternative} (mannwhitneyu exact)`);
      },
    );

    it.each(cases.filter((c) => c.method === 'asymptotic').map((c) => [c.name, c] as const))(
      'normal approximation, as scipy.stats.mannwhitneyu(method="asymptotic"): %s',
      (name, c) => {
        const result = mannWhitneyU(c.x, c.y, alternative);
        expect(result.method).toBe('normal');
        expect(result.u).toBe(c.u);
        expectClose(result.p, c.p[alternative], `${name} ${alternative}`);
      },
    );
  });

  it('the one-sided p of the sweep case is the exact 6/462, not half the two-sided p', () => {
    const result = mannWhitneyU([100, 100, 100, 100, 100, 101], [101, 101, 101, 101, 101], 'less');
    expectClose(result.p, 6 / 462, 'sweep case');
    expect(result.p).toBeGreaterThan(0.01);
  });
});

describe('the standard normal against scipy.stats.norm', () => {
  it.each(normal.map((point) => [point.z, point] as const))('z = %d', (z, point) => {
    expectClose(standardNormalSf(z), point.sf, `sf(${z})`);
    expectClose(standardNormalCdf(z), point.cdf, `cdf(${z})`);
  });
});
