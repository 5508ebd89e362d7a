import { readFileSync } from 'node:fs';
import type { Alternative } from '../../compare/mann-whitney.js';

/** scipy's answers for the rank tests, written by fixtures/scipy-rank-tests.py (which says how to rerun it). */
export interface ScipyRankCase {
  name: string;
  x: number[];
  y: number[];
  ties: boolean;
  /** scipy.stats.mannwhitneyu's U for x. */
  u: number;
  /** exact: scipy.stats.permutation_test of U; asymptotic: scipy.stats.mannwhitneyu(method='asymptotic'). */
  method: 'exact' | 'asymptotic';
  p: Record<Alternative, number>;
  /** scipy.stats.mannwhitneyu(method='exact'), for samples without ties only. */
  mannwhitneyuExact?: Record<Alternative, number>;
}

export interface ScipyRankFixture {
  scipy: string;
  cases: ScipyRankCase[];
  normal: { z: number; sf: number; cdf: number }[];
}

export const scipyRankTests = JSON.parse(
  readFileSync(new URL('./fixtures/scipy-rank-tests.json', import.meta.url), 'utf8'),
) as ScipyRankFixture;

export const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'less', 'greater'];

/** Relative agreement to 1e-9 (absolute 1e-15 for p-values that are 0 to double precision). */
export function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-9 * Math.abs(expected) + 1e-15;
  if (!(Math.abs(actual - expected) <= tolerance))
    throw new Error(`${what}: ${actual} is not scipy's ${expected} (tolerance ${tolerance.toExponential(1)})`);
}
