import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IntervalSample } from '../../results/results.js';
import { binIntervals, binLatency, intervalsPerBin, overTimeOmission } from '../../reports/interval-bins.js';
import { generateReport } from '../../reports/index.js';
import { collectSeries } from '../../reports/series.js';
import { latencyOverTimeData } from '../../reports/specs/time-series-spec.js';
import { constant, logUniform, makeResults } from './fixtures/make-results.js';

const bare = (counts: readonly number[], seconds = 1): IntervalSample[] =>
  counts.map((count, i) => ({
    start: i * seconds,
    seconds,
    actions: { get: { count, p50: 1, p99: 1, max: 1, histogram: '' } },
  }));
const getCount = (i: IntervalSample): number => i.actions.get?.count ?? 0;

describe('joining intervals into points', () => {
  it('joins intervals until a point holds about 1,000 operations', () => {
    // 60 s at 500 ops/s: two intervals a point, 30 points of 1,000.
    expect(intervalsPerBin(Array(60).fill(500))).toBe(2);
    expect(binIntervals(bare(Array(60).fill(500)), getCount)).toHaveLength(30);
    // Fast runs keep their intervals.
    expect(intervalsPerBin(Array(10).fill(50_000))).toBe(1);
  });

  it('keeps at least 5 points when the run has the intervals for them', () => {
    // 60 s at 10 ops/s would need 100 intervals a point; 12 a point keeps 5 points.
    expect(intervalsPerBin(Array(60).fill(10))).toBe(12);
    // Three intervals stay three points, however few operations each holds.
    expect(intervalsPerBin([40, 40, 40])).toBe(1);
  });

  it('folds a short last bin into the one before it, and measures bins in seconds', () => {
    // 63 intervals of 100: ten a point, and the last three join the sixth point.
    const bins = binIntervals(bare(Array(63).fill(100)), getCount);
    expect(bins).toHaveLength(6);
    expect(bins.at(-1)!.intervals).toHaveLength(13);
    expect(bins.at(-1)!.seconds).toBe(13);
    expect(bins[1]!.start).toBe(10);
    // Half a bin or more stands as its own point.
    expect(binIntervals(bare(Array(65).fill(100)), getCount)).toHaveLength(7);
  });

  it("reads a bin's percentiles from the sum of its intervals' histograms", () => {
    // 60 intervals of 50 gets: 12 intervals a point; in each point 588 gets of 1 µs and 12 of 50 µs.
    const file = makeResults({
      backends: [
        {
          label: 'sqlite',
          intervals: 60,
          actions: { get: { count: 3_000, distribution: (rng) => (rng() < 0.02 ? 50_000 : 1_000) } },
        },
      ],
    });
    const bins = binIntervals(file.backends[0]!.intervals, getCount);
    expect(bins).toHaveLength(5);
    const merged = binLatency(bins[0]!, 'get', 'test')!;
    expect(merged.count).toBe(600);
    expect(merged.p50).toBe(1_000);
    // The p99 of the whole point, not any one interval's (most intervals of 50 hold no slow get at p99).
    expect(merged.p99).toBeGreaterThan(49_000);
    const data = latencyOverTimeData(collectSeries([file]), 'get');
    expect(data.filter((d) => d.statistic === 'p99').map((d) => [d.time, d.count, d.thin])).toEqual([
      [6, 600, true],
      [18, 600, true],
      [30, 600, true],
      [42, 600, true],
      [54, 600, true],
    ]);
  });
});

describe('over-time plots left out, with the reason', () => {
  it('names the measured stretch and the interval when no backend has 3 points', () => {
    const reason = overTimeOmission([[...bare([900]), { ...bare([400])[0]!, start: 1, seconds: 0.43 }]], getCount);
    expect(reason).toBe(
      'no backend has 3 points to draw: the longest measured stretch is 1.43 s in 2 intervals of 1.00 s; measure longer (--duration) or sample finer (e.g. --interval 140)',
    );
    expect(overTimeOmission([bare([900, 900, 900])], getCount)).toBeUndefined();
  });

  it('the report draws no over-time plot for a 1.43 s run and says why in the page and the Markdown', async () => {
    const file = makeResults({
      backends: [
        {
          label: 'sqlite',
          intervals: 2,
          actions: {
            get: { count: 2_000, distribution: logUniform(1_000, 9_000) },
            set: { count: 100, distribution: constant(5_000) },
          },
        },
      ],
    });
    file.backends[0]!.intervals[1]!.seconds = 0.43;
    const dir = await mkdtemp(join(tmpdir(), 'cachebench-bins-'));
    try {
      const out = await generateReport([file], dir, { png: false });
      expect(out.plots.map((p) => p.name)).toEqual(['percentile-get', 'percentile-set', 'bars-get', 'bars-set']);
      expect(out.omitted.map((o) => o.title)).toEqual([
        'get latency over time',
        'set latency over time',
        'throughput over time',
      ]);
      const html = await readFile(out.html, 'utf8');
      expect(html).toContain(
        'throughput over time: left out — no backend has 3 points to draw: the longest measured stretch is 1.43 s in 2 intervals',
      );
      expect(await readFile(out.markdown, 'utf8')).toContain(
        '_get latency over time: left out — no backend has 3 points',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
