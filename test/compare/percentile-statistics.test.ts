import { describe, expect, it } from 'vitest';
import { compare } from '../../compare/compare.js';
import { percentileOfName, statisticByName } from '../../compare/statistic.js';
import { decodeHistogram } from '../../results/histogram.js';
import { syntheticRun } from './fixtures/synthetic-results.js';

describe('any percentile as a statistic (pNN)', () => {
  it('reads pNN names, the run-together nines and nothing out of range', () => {
    expect(['p95', 'p99.99', 'P75', 'p9999', 'p999', 'p0.5'].map(percentileOfName)).toEqual([
      95, 99.99, 75, 99.99, 99.9, 0.5,
    ]);
    for (const bad of ['p100', 'p0', 'p', 'p-5', 'p95x', '95', 'p1e2'])
      expect(percentileOfName(bad), bad).toBeUndefined();
    expect(statisticByName('p100')).toBeUndefined();
  });

  it("reads p95 from each run's histogram", () => {
    const run = syntheticRun({ seed: 3, backends: { sqlite: { get: { medianNs: 10_000 } } } });
    const action = run.backends[0].actions.get;
    const p95 = statisticByName('p95')!;
    expect(p95).toMatchObject({ name: 'p95', kind: 'latency', percentile: 95 });
    expect(p95.read(action)).toBe(decodeHistogram(action.histogram).getValueAtPercentile(95));
    expect(p95.read(action)).toBeGreaterThan(action.percentiles.p90);
    expect(p95.read(action)).toBeLessThan(action.percentiles.p99);
  });

  it('compares p95 and p99.99 rows, in percentile order beside the usual ones', () => {
    const base = [1, 2, 3].map((seed) => syntheticRun({ seed, backends: { sqlite: { get: { medianNs: 10_000 } } } }));
    const head = [4, 5, 6].map((seed) => syntheticRun({ seed, backends: { sqlite: { get: { medianNs: 10_000 } } } }));
    const report = compare(base, head, { statistics: ['p99.99', 'median', 'p95'] });
    expect(report.rows.map((r) => r.statistic)).toEqual(['median', 'p95', 'p99.99']);
  });
});
