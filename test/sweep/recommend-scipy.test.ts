import { describe, expect, it } from 'vitest';
import { oneSidedBetterP, recommend, type Candidate } from '../../sweep/recommend.js';
import { expectClose, scipyRankTests } from '../compare/scipy-fixture.js';

const exact = scipyRankTests.cases.filter((c) => c.method === 'exact');

describe("the sweep's one-sided test against scipy (test/compare/fixtures/scipy-rank-tests.json)", () => {
  it.each(exact.map((c) => [c.name, c] as const))('%s', (name, c) => {
    // Latency: better is lower, scipy's alternative "less" for the best's sample; throughput: "greater".
    expectClose(oneSidedBetterP(c.x, c.y, 'latency'), c.p.less, `${name} latency`);
    expectClose(oneSidedBetterP(c.x, c.y, 'rate'), c.p.greater, `${name} rate`);
  });

  it('covers tied samples', () => {
    expect(exact.filter((c) => c.ties).length).toBeGreaterThanOrEqual(50);
  });
});

describe('a 1% "win" inside the noise is not recommended', () => {
  // One defaults repeat failed, so 6 runs of the best face 5 of the defaults; two rivals: level 2.5% / 2 = 1.25%.
  const candidates: Candidate[] = [
    { index: 0, label: 'defaults', values: [101, 101, 101, 101, 101], isDefault: true },
    { index: 1, label: 'lucky', values: [100, 100, 100, 100, 100, 101], isDefault: false },
    { index: 2, label: 'slow', values: [150, 151, 149, 152, 148, 150], isDefault: false },
  ];

  it('the exact one-sided p is 6/462 = 0.0130 (scipy), above the corrected 0.0125, so the defaults stay', () => {
    const r = recommend(candidates, 'latency');
    expect(r.best.label).toBe('lucky');
    expect(r.comparisons).toBe(2);
    expectClose(r.pValue!, 6 / 462, 'p');
    expect(r.exceedsNoise).toBe(false);
    expect(r.recommended.label).toBe('defaults');
    expect(r.verdict).toMatch(/one-sided p = 0\.013, needed ≤ 0\.013\); keep the defaults/);
  });
});
