/**
 * python-diskcache's bar plot: for one action, median, p90 and p99 for every
 * backend — drawn so that bar length means something. Each statistic is its
 * own panel with its own linear axis from zero, so within a panel a bar twice
 * as long is twice as slow, and a 20× gap looks like 20×. (A shared log axis
 * from a fixed base made a 20× gap look like 1.5×.) Every bar is labelled
 * with its value and its ratio to the panel's fastest. Values are the results
 * file's percentiles, read from the full histogram, never averaged figures.
 * A percentile with fewer than 10 samples beyond it (tail-samples.ts) is a
 * hollow, dashed bar whose label says how many operations it rests on.
 */
import { formatDuration, formatRatio } from '../format-duration.js';
import type { Series } from '../series.js';
import { isThinPercentile } from '../tail-samples.js';
import {
  DEFAULT_WIDTH,
  NS_LABEL_EXPR,
  VEGA_LITE_SCHEMA,
  seriesColor,
  type SpecOptions,
  type TopLevelSpec,
} from './common.js';

export const BAR_STATISTICS = ['median', 'p90', 'p99'] as const;
export type BarStatistic = (typeof BAR_STATISTICS)[number];

export interface BarDatum {
  series: string;
  statistic: BarStatistic;
  latencyNs: number;
  /** Times the fastest backend's value for this statistic (1 for the fastest). */
  ratio: number;
  /** `12.3 µs · 14.3×`, drawn at the end of the bar. */
  label: string;
  /** Room for the label: an invisible mark this far out widens the panel's axis. */
  labelRoomNs: number;
  /** Fewer than MIN_TAIL_SAMPLES operations beyond this percentile. */
  thin: boolean;
}

const PERCENTILE_OF: Record<BarStatistic, number> = { median: 50, p90: 90, p99: 99 };

/** How far past the longest bar each panel's axis runs, so the labels fit. */
const LABEL_ROOM = 1.6;
/** Pixels per backend row. */
const ROW_HEIGHT = 24;

export function barData(series: readonly Series[], action: string): BarDatum[] {
  const raw: (Omit<BarDatum, 'ratio' | 'label' | 'labelRoomNs'> & { count: number })[] = [];
  for (const s of series) {
    const r = s.backend.actions[action];
    if (!r || r.count === 0) continue;
    const values: Record<BarStatistic, number> = {
      median: r.percentiles.p50,
      p90: r.percentiles.p90,
      p99: r.percentiles.p99,
    };
    for (const statistic of BAR_STATISTICS)
      raw.push({
        series: s.label,
        statistic,
        latencyNs: values[statistic],
        thin: isThinPercentile(r.count, PERCENTILE_OF[statistic]),
        count: r.count,
      });
  }
  const best = new Map(
    BAR_STATISTICS.map((st) => [st, Math.min(...raw.filter((d) => d.statistic === st).map((d) => d.latencyNs))]),
  );
  return raw.map(({ count, ...d }) => {
    const low = best.get(d.statistic)!;
    const ratio = low > 0 ? d.latencyNs / low : 1;
    const samples = d.thin ? ` (of ${count})` : '';
    return {
      ...d,
      ratio,
      label: `${formatDuration(d.latencyNs)} · ${formatRatio(ratio)}×${samples}`,
      labelRoomNs: d.latencyNs * LABEL_ROOM,
    };
  });
}

export function barSpec(series: readonly Series[], action: string, options: SpecOptions = {}): TopLevelSpec {
  const data = barData(series, action);
  const order = [...new Set(data.map((d) => d.series))];
  const panelWidth = Math.round((options.width ?? DEFAULT_WIDTH) / BAR_STATISTICS.length);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: `${action}: median, p90 and p99 per backend`,
      subtitle: [
        'each panel linear from 0 on its own scale · label: value · times the fastest',
        'hollow, dashed: fewer than 10 operations beyond the percentile (of N: the count)',
      ],
      anchor: 'start',
    },
    data: { values: data },
    facet: {
      column: {
        field: 'statistic',
        type: 'nominal',
        sort: [...BAR_STATISTICS],
        title: null,
        header: { labelFontSize: 13, labelFontWeight: 'bold' },
      },
    },
    spec: {
      width: panelWidth,
      height: Math.max(60, order.length * ROW_HEIGHT),
      encoding: {
        y: { field: 'series', type: 'nominal', sort: order, title: null, axis: { labelLimit: 220 } },
      },
      layer: [
        {
          mark: { type: 'bar', tooltip: true, strokeWidth: 1.5 },
          encoding: {
            // Thin percentiles: hollow and dashed, drawn but not as if they were solid figures.
            fillOpacity: { condition: { test: 'datum.thin', value: 0.15 }, value: 1 },
            strokeDash: { condition: { test: 'datum.thin', value: [3, 2] }, value: [1, 0] },
            stroke: { ...seriesColor(order), legend: null },
            x: {
              field: 'latencyNs',
              type: 'quantitative',
              title: 'latency',
              scale: { type: 'linear', zero: true },
              axis: { labelExpr: NS_LABEL_EXPR, tickCount: 3, grid: true },
            },
            color: { ...seriesColor(order), legend: null },
          },
        },
        {
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 10 },
          encoding: { x: { field: 'latencyNs', type: 'quantitative' }, text: { field: 'label' } },
        },
        // Invisible: only widens each panel's axis so the labels past the longest bar fit inside it.
        { mark: { type: 'point', opacity: 0 }, encoding: { x: { field: 'labelRoomNs', type: 'quantitative' } } },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  } as TopLevelSpec;
}
