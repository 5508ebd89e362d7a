/**
 * The talk's trade-off: a shorter timeout bounds latency but turns waits into
 * misses. Two plots against the timeout axis: miss and timeout rates of one
 * action, and its p99. One line per setting of the other axes.
 */
import type { CombinationSummary, SweepSummary } from '../summary.js';
import { latencyY } from '../../reports/specs/common.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, VEGA_LITE_SCHEMA, restLabel, type TopLevelSpec } from './common.js';

export interface TimeoutDatum {
  series: string;
  timeoutSeconds: number;
  missRate: number;
  timeoutRate: number;
  p99: number;
}

export function timeoutData(
  summary: SweepSummary,
  action: string,
  seconds: (text: string) => number | undefined,
): TimeoutDatum[] {
  const data: TimeoutDatum[] = [];
  for (const c of summary.combinations as CombinationSummary[]) {
    const text = c.values.timeout;
    const figures = c.actions[action];
    const timeoutSeconds = text === undefined ? undefined : seconds(text);
    if (c.added || timeoutSeconds === undefined || !figures) continue;
    data.push({
      series: restLabel(c, ['timeout']),
      timeoutSeconds,
      missRate: figures.missRate,
      timeoutRate: figures.timeoutRate,
      p99: figures.p99,
    });
  }
  return data.sort((a, b) => a.timeoutSeconds - b.timeoutSeconds);
}

function xEncoding(data: readonly TimeoutDatum[]) {
  const values = data.map((d) => d.timeoutSeconds);
  // Timeouts step by factors of ten; a log axis spaces them evenly (zero cannot sit on one).
  const log = Math.min(...values) > 0 && Math.max(...values) / Math.min(...values) >= 10;
  return {
    field: 'timeoutSeconds',
    type: 'quantitative' as const,
    title: 'timeout (s)',
    scale: { type: log ? ('log' as const) : ('linear' as const) },
  };
}

export function missRateSpec(data: readonly TimeoutDatum[], action: string): TopLevelSpec | null {
  if (new Set(data.map((d) => d.timeoutSeconds)).size < 2) return null;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${action}: miss rate vs timeout (timeouts dashed)`, anchor: 'start' },
    width: DEFAULT_WIDTH,
    height: DEFAULT_HEIGHT,
    data: { values: [...data] },
    transform: [{ fold: ['missRate', 'timeoutRate'], as: ['rate', 'fraction'] }],
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: xEncoding(data),
      y: {
        field: 'fraction',
        type: 'quantitative',
        title: 'share of operations',
        axis: { format: '.1%' },
        scale: { zero: true },
      },
      color: { field: 'series', type: 'nominal', title: 'configuration', legend: { labelLimit: 320 } },
      strokeDash: { field: 'rate', type: 'nominal', title: 'rate', sort: ['missRate', 'timeoutRate'] },
    },
  };
}

export function timeoutLatencySpec(data: readonly TimeoutDatum[], action: string): TopLevelSpec | null {
  if (new Set(data.map((d) => d.timeoutSeconds)).size < 2) return null;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${action}: p99 latency vs timeout`, anchor: 'start' },
    width: DEFAULT_WIDTH,
    height: DEFAULT_HEIGHT,
    data: { values: [...data] },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: xEncoding(data),
      y: latencyY('p99', 'log', `${action} p99`),
      color: { field: 'series', type: 'nominal', title: 'configuration', legend: { labelLimit: 320 } },
    },
  };
}
