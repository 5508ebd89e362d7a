import { describe, expect, it } from 'vitest';
import { collectSeries } from '../../reports/series.js';
import { barSpec } from '../../reports/specs/bar-spec.js';
import {
  INVERSE_TAIL_EXPR,
  percentileData,
  percentileSpec,
  percentileTickLabel,
} from '../../reports/specs/percentile-spec.js';
import { latencyOverTimeSpec, throughputData, throughputSpec } from '../../reports/specs/time-series-spec.js';
import { renderSvg } from '../../reports/render-plot.js';
import { constant, logUniform, makeResults, talkResults } from './fixtures/make-results.js';

// Specs are plain JSON: read them as data rather than through vega-lite's wide union types.
type Json = Record<string, any>;

const asJson = (spec: unknown): Json => JSON.parse(JSON.stringify(spec)) as Json;

describe('time vs percentile spec', () => {
  const series = collectSeries([talkResults()]);
  const spec = asJson(percentileSpec(series, 'set'));

  it('puts percentile on a log 1/(1-p) axis labelled 0, 90, 99, 99.9 %', () => {
    expect(spec.transform).toContainEqual({ calculate: INVERSE_TAIL_EXPR, as: 'inverseTail' });
    expect(spec.transform).toContainEqual({ filter: 'datum.percentile < 100' });
    expect(spec.encoding.x.field).toBe('inverseTail');
    expect(spec.encoding.x.scale.type).toBe('log');
    // 500 sets reach percentile 99.8: the axis runs to 1/(1-0.999) = 1000.
    expect(spec.encoding.x.axis.values).toEqual([1, 10, 100, 1000]);
    expect(spec.encoding.x.scale.domain).toEqual([1, 1000]);
  });

  it('labels ticks 0, 90, 99, then 99. and one more nine per decade', () => {
    expect([0, 1, 2, 3, 4].map(percentileTickLabel)).toEqual(['0 %', '90 %', '99 %', '99.9 %', '99.99 %']);
    expect(percentileTickLabel(9)).toBe('99.9999999 %');
  });

  it('evaluates the transform the way the axis labels claim', () => {
    // The expression is vega's, but its arithmetic is plain JS: p = 99 must land on tick 100.
    const inverseTail = new Function('datum', `return ${INVERSE_TAIL_EXPR};`) as (d: { percentile: number }) => number;
    expect(inverseTail({ percentile: 0 })).toBe(1);
    expect(inverseTail({ percentile: 99 })).toBeCloseTo(100, 9);
    expect(inverseTail({ percentile: 99.9 })).toBeCloseTo(1000, 6);
  });

  it('draws one coloured line per backend on a log latency scale by default', () => {
    expect(spec.mark.type).toBe('line');
    expect(spec.encoding.color.field).toBe('series');
    expect(spec.encoding.color.sort).toEqual(['memory', 'sqlite', 'filebased']);
    expect(spec.encoding.y.field).toBe('latencyNs');
    expect(spec.encoding.y.scale.type).toBe('log');
    expect(new Set(spec.data.values.map((d: Json) => d.series))).toEqual(new Set(['memory', 'sqlite', 'filebased']));
    expect(asJson(percentileSpec(series, 'set', { latencyScale: 'linear' })).encoding.y.scale.type).toBe('linear');
  });

  it('keeps the multi-millisecond filebased sets with no clamped domain', () => {
    const filebased = spec.data.values.filter((d: Json) => d.series === 'filebased');
    expect(Math.max(...filebased.map((d: Json) => d.latencyNs))).toBeGreaterThan(10_000_000);
    expect(spec.encoding.y.scale.domain).toBeUndefined();
  });

  it('derives points from the histogram percentile distribution, monotonic in both axes', () => {
    for (const label of ['memory', 'sqlite', 'filebased']) {
      const points = percentileData(series, 'get').filter((d) => d.series === label);
      expect(points.length).toBeGreaterThan(20);
      for (let i = 1; i < points.length; i++) {
        expect(points[i].percentile).toBeGreaterThanOrEqual(points[i - 1].percentile);
        expect(points[i].latencyNs).toBeGreaterThanOrEqual(points[i - 1].latencyNs);
      }
      const result = series.find((s) => s.label === label)!.backend.actions.get;
      // Within the histogram's 3-significant-digit bucket of the recorded max.
      expect(points[points.length - 1].latencyNs).toBeLessThanOrEqual(result.percentiles.max * 1.001);
    }
  });

  it('reads exact values from a constant distribution', () => {
    const fixed = collectSeries([
      makeResults({ backends: [{ label: 'flat', actions: { get: { count: 1000, distribution: constant(5_000) } } }] }),
    ]);
    const points = percentileData(fixed, 'get');
    expect(points.length).toBeGreaterThan(0);
    // 5000 ns sits in a bucket 4 ns wide at 3 significant digits: every point reads its top, 5003 ns.
    expect(new Set(points.map((p) => p.latencyNs))).toEqual(new Set([5_003]));
    expect(points[0].percentile).toBe(0);
    expect(percentileData(fixed, 'set')).toEqual([]);
  });
});

describe('bar spec', () => {
  it('puts median, p90 and p99 in panels of their own, each linear from zero with its own scale', () => {
    const series = collectSeries([talkResults()]);
    // --linear or not: bar length must mean something, so bars never take the log axis.
    for (const latencyScale of ['log', 'linear'] as const) {
      const spec = asJson(barSpec(series, 'get', { latencyScale }));
      expect(spec.facet.column.field).toBe('statistic');
      expect(spec.resolve.scale.x).toBe('independent');
      const bar = spec.spec.layer[0];
      expect(bar.mark.type).toBe('bar');
      expect(bar.encoding.x.scale).toEqual({ type: 'linear', zero: true });
      expect(spec.spec.encoding.y.field).toBe('series');
    }
    const spec = asJson(barSpec(series, 'get'));
    expect(spec.data.values).toHaveLength(9);
    const sqlite = series[1].backend.actions.get.percentiles;
    expect(spec.data.values.filter((d: Json) => d.series === 'sqlite').map((d: Json) => d.latencyNs)).toEqual([
      sqlite.p50,
      sqlite.p90,
      sqlite.p99,
    ]);
  });

  it('labels each bar with its value and its ratio to the fastest in its panel', () => {
    const results = makeResults({
      backends: [
        { label: 'sqlite', actions: { get: { count: 100, distribution: constant(1_000) } } },
        { label: 'redis', actions: { get: { count: 100, distribution: constant(20_000) } } },
      ],
    });
    const data = asJson(barSpec(collectSeries([results]), 'get')).data.values as Json[];
    const median = (label: string): Json => data.find((d) => d.series === label && d.statistic === 'median')!;
    expect(median('sqlite').ratio).toBe(1);
    expect(median('sqlite').label).toBe('1.00 µs · 1.00×');
    // 20 µs in HDR's three digits over exactly 1 µs: a 20× gap is drawn 20× longer.
    expect(median('redis').ratio).toBeCloseTo(20, 1);
    expect(median('redis').label).toMatch(/^20\.0 µs · 20\.0×$/);
  });
});

describe('time series specs', () => {
  const series = collectSeries([talkResults(1, 'box-a'), talkResults(2, 'box-b')]);

  it('plots p50 and p99 per interval per series', () => {
    const spec = asJson(latencyOverTimeSpec(series, 'get'));
    expect(spec.encoding.x.field).toBe('time');
    expect(spec.layer[0].encoding.strokeDash.field).toBe('statistic');
    // 6 series × 3 intervals × 2 statistics.
    expect(spec.data.values).toHaveLength(36);
    expect(spec.encoding.color.sort).toContain('box-b sqlite');
  });

  it('computes operations per second from interval counts', () => {
    const data = throughputData(series);
    const first = series[0].backend.intervals[0];
    // One-second intervals with well over 1,000 operations stay one point each, placed at their middle.
    const point = data.find((d) => d.series === 'box-a memory' && d.action === 'get' && d.time === 0.5);
    expect(point?.opsPerSecond).toBe(first.actions.get.count / first.seconds);
    expect(asJson(throughputSpec(series)).encoding.y.field).toBe('opsPerSecond');
  });
});

describe('a backend whose run fits in one interval', () => {
  // One interval is one x value: a line has no segment to draw, so without points the backend is only a legend entry.
  const results = makeResults({
    backends: [
      { label: 'long', actions: { get: { count: 300, distribution: logUniform(1_000, 5_000) } } },
      { label: 'short', intervals: 1, actions: { get: { count: 100, distribution: logUniform(1_000, 5_000) } } },
    ],
  });
  const series = collectSeries([results]);
  const pointsOf = (svg: string, label: string): number =>
    (svg.match(/<path [^>]*aria-roledescription="point"[^>]*>/g) ?? []).filter(
      (p) => p.includes(`backend: ${label};`) || p.includes(`series: ${label};`),
    ).length;

  it('is drawn as a point per statistic in the latency-over-time plot', async () => {
    const svg = await renderSvg(latencyOverTimeSpec(series, 'get'));
    expect(pointsOf(svg, 'short')).toBe(2);
    expect(pointsOf(svg, 'long')).toBe(2 * results.backends[0]!.intervals.length);
  });

  it('is drawn as a point per action in the throughput plot', async () => {
    const svg = await renderSvg(throughputSpec(series));
    expect(pointsOf(svg, 'short')).toBe(1);
  });
});

describe('few samples beyond a percentile', () => {
  // 500 sets: fewer than 10 lie beyond any percentile above 98.
  const series = collectSeries([
    makeResults({
      backends: [
        {
          label: 'sqlite',
          actions: {
            set: { count: 500, distribution: logUniform(1_000, 100_000) },
            delete: { count: 46, distribution: logUniform(1_000, 100_000) },
          },
        },
      ],
    }),
  ]);

  it('dashes the percentile line where fewer than 10 samples lie beyond, unbroken at the boundary', () => {
    const points = percentileData(series, 'set');
    const firstThin = points.findIndex((p) => p.tail === 'fewer than 10');
    points.forEach((p, i) => {
      if (p.percentile > 98) expect(p.tail, `${p.percentile}`).toBe('fewer than 10');
      if (p.percentile < 98 && i !== firstThin) expect(p.tail, `${p.percentile}`).toBe('10 or more');
    });
    // The last solid point is repeated as the first dashed one.
    expect(points[firstThin]).toEqual({ ...points[firstThin - 1], tail: 'fewer than 10' });
    const spec = asJson(percentileSpec(series, 'set'));
    expect(spec.encoding.strokeDash.field).toBe('tail');
    expect(spec.encoding.strokeDash.scale.domain).toEqual(['10 or more', 'fewer than 10']);
  });

  it('draws a thin p99 as a hollow bar labelled with its count', () => {
    const spec = asJson(barSpec(series, 'delete'));
    const bar = (statistic: string): Json => spec.data.values.find((d: Json) => d.statistic === statistic)!;
    // 46 deletes: 23 beyond the median (solid), 4.6 beyond p90 and 0.46 beyond p99 (thin).
    expect(bar('median').thin).toBe(false);
    expect(bar('p90').thin).toBe(true);
    expect(bar('p99').thin).toBe(true);
    expect(bar('p99').label).toMatch(/ \(of 46\)$/);
    expect(spec.spec.layer[0].encoding.fillOpacity.condition).toEqual({ test: 'datum.thin', value: 0.15 });
  });
});
