import { describe, expect, it } from 'vitest';
import fixture from './fixtures/ycsb/chi2-sf.json' with { type: 'json' };
import { chiSquareHomogeneity, chiSquareSurvival } from './helpers/chi-square.js';

describe('the chi-square helper the YCSB distribution tests use', () => {
  it("survival function equals scipy's chi2.sf", () => {
    for (const [x, k, p] of fixture.sf as [number, number, number][]) {
      expect(Math.abs(chiSquareSurvival(x, k) - p) / p, `chi2.sf(${x}, ${k})`).toBeLessThan(1e-9);
    }
  });

  it('rejects samples from different distributions and keeps samples from one', () => {
    const same = chiSquareHomogeneity([500, 300, 200], [1_010, 590, 400]);
    expect(same.degreesOfFreedom).toBe(2);
    expect(same.pValue).toBeGreaterThan(0.5);
    expect(chiSquareHomogeneity([500, 300, 200], [300, 300, 400]).pValue).toBeLessThan(1e-10);
  });
});
