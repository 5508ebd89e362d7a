/**
 * python-diskcache's plot: for one action, median, p90 and p99 side by side
 * for every backend. Values come from the results file's percentiles (which
 * the harness read from the full histogram), never from averaged figures.
 */
import type { Series } from '../series.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, latencyY, VEGA_LITE_SCHEMA, type SpecOptions, type TopLevelSpec } from './common.js';

export const BAR_STATISTICS = ['median', 'p90', 'p99'] as const;
export type BarStatistic = (typeof BAR_STATISTICS)[number];

export interface BarDatum {
  series: string;
  statistic: BarStatistic;
  latencyNs: number;
}

export function barData(series: readonly Series[], action: string): BarDatum[] {
  const data: BarDatum[] = [];
  for (const s of series) {
    const r = s.backend.actions[action];
    if (!r || r.count === 0) continue;
    const values: Record<BarStatistic, number> = { median: r.percentiles.p50, p90: r.percentiles.p90, p99: r.percentiles.p99 };
    for (const statistic of BAR_STATISTICS) data.push({ series: s.label, statistic, latencyNs: values[statistic] });
  }
  return data;
}

export function barSpec(series: readonly Series[], action: string, options: SpecOptions = {}): TopLevelSpec {
  const data = barData(series, action);
  const order = [...new Set(data.map((d) => d.series))];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${action}: median, p90 and p99 per backend`, anchor: 'start' },
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    data: { values: data },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'series', type: 'nominal', title: 'backend', sort: order, axis: { labelAngle: 0, labelLimit: 200 } },
      xOffset: { field: 'statistic', type: 'nominal', sort: [...BAR_STATISTICS] },
      // Bars on a log scale have no zero to grow from: no stacking (it starts at 0), anchored to the plot's bottom instead.
      y: { ...latencyY('latencyNs', options.latencyScale ?? 'log'), stack: null },
      y2: { value: 'height' },
      color: { field: 'statistic', type: 'nominal', title: 'statistic', sort: [...BAR_STATISTICS] },
    },
  };
}
