/**
 * Latency and throughput over time from the results file's one-second
 * intervals: a stall (checkpoint, eviction, compaction) shows as a p99 spike
 * and a throughput dip at the second it happened.
 */
import type { Series } from '../series.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, latencyY, seriesColor, VEGA_LITE_SCHEMA, type SpecOptions, type TopLevelSpec } from './common.js';

export interface LatencyOverTimeDatum {
  series: string;
  /** Seconds since the start barrier. */
  time: number;
  statistic: 'p50' | 'p99';
  latencyNs: number;
}

export interface ThroughputDatum {
  series: string;
  action: string;
  time: number;
  opsPerSecond: number;
}

export function latencyOverTimeData(series: readonly Series[], action: string): LatencyOverTimeDatum[] {
  const data: LatencyOverTimeDatum[] = [];
  for (const s of series) {
    for (const interval of s.backend.intervals) {
      const a = interval.actions[action];
      if (!a || a.count === 0) continue;
      data.push({ series: s.label, time: interval.start, statistic: 'p50', latencyNs: a.p50 });
      data.push({ series: s.label, time: interval.start, statistic: 'p99', latencyNs: a.p99 });
    }
  }
  return data;
}

export function throughputData(series: readonly Series[]): ThroughputDatum[] {
  const data: ThroughputDatum[] = [];
  for (const s of series) {
    for (const interval of s.backend.intervals) {
      // A zero-length last interval would divide by zero; it holds no information anyway.
      if (!(interval.seconds > 0)) continue;
      for (const [action, a] of Object.entries(interval.actions)) {
        data.push({ series: s.label, action, time: interval.start, opsPerSecond: a.count / interval.seconds });
      }
    }
  }
  return data;
}

export function latencyOverTimeSpec(series: readonly Series[], action: string, options: SpecOptions = {}): TopLevelSpec {
  const data = latencyOverTimeData(series, action);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${action} latency over time (p50 solid, p99 dashed)`, anchor: 'start' },
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    data: { values: data },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'seconds since start' },
      y: latencyY('latencyNs', options.latencyScale ?? 'log'),
      color: seriesColor([...new Set(data.map((d) => d.series))]),
    },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2, tooltip: true },
        encoding: {
          strokeDash: { field: 'statistic', type: 'nominal', title: 'statistic', sort: ['p50', 'p99'] },
          detail: { field: 'statistic', type: 'nominal' },
        },
      },
      pointLayer({ field: 'statistic', type: 'nominal' }),
    ],
  };
}

export function throughputSpec(series: readonly Series[], options: SpecOptions = {}): TopLevelSpec {
  const data = throughputData(series);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'throughput over time', anchor: 'start' },
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    data: { values: data },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'seconds since start' },
      y: { field: 'opsPerSecond', type: 'quantitative', title: 'operations per second', scale: { type: 'linear', zero: true } },
      color: seriesColor([...new Set(data.map((d) => d.series))]),
    },
    layer: [
      { mark: { type: 'line', strokeWidth: 2, tooltip: true }, encoding: { strokeDash: { field: 'action', type: 'nominal', title: 'action' } } },
      pointLayer({ field: 'action', type: 'nominal' }),
    ],
  };
}

/**
 * A small dot at every interval, in its own layer: a backend whose run fits in
 * one interval has no segment to draw and would otherwise be only a legend
 * entry. Points live apart from the line mark (not `point: true`) so the
 * legend keeps showing dashes, not dots; the detail field keeps the tooltip per
 * statistic/action.
 */
function pointLayer(detail: { field: string; type: 'nominal' }) {
  return {
    mark: { type: 'point' as const, filled: true, size: 24, opacity: 1, tooltip: true },
    encoding: { detail },
  };
}
