/**
 * Latency and throughput over time from the results file's intervals, joined
 * into bins that rest on enough operations (interval-bins.ts): a stall
 * (checkpoint, eviction, compaction) shows as a p99 spike and a throughput dip
 * where it happened. A p99 point on fewer than 1,000 operations is hollow.
 */
import { binIntervals, binLatency, OPS_PER_POINT } from '../interval-bins.js';
import type { Series } from '../series.js';
import { isThinPercentile } from '../tail-samples.js';
import {
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  latencyY,
  seriesColor,
  VEGA_LITE_SCHEMA,
  type SpecOptions,
  type TopLevelSpec,
} from './common.js';

export interface LatencyOverTimeDatum {
  series: string;
  /** Seconds since the measurement start, at the middle of the point's bin. */
  time: number;
  statistic: 'p50' | 'p99';
  latencyNs: number;
  /** Operations in the bin. */
  count: number;
  /** Fewer than 10 operations beyond this percentile in the bin. */
  thin: boolean;
}

export interface ThroughputDatum {
  series: string;
  action: string;
  time: number;
  opsPerSecond: number;
}

const round = (t: number): number => Math.round(t * 1e6) / 1e6;

/** The throughput plot's line of failed operations per second (every action together). */
export const ERRORS = 'errors (failed ops)';

export function latencyOverTimeData(series: readonly Series[], action: string): LatencyOverTimeDatum[] {
  const data: LatencyOverTimeDatum[] = [];
  for (const s of series) {
    for (const bin of binIntervals(s.backend.intervals, (i) => i.actions[action]?.count ?? 0)) {
      const a = binLatency(bin, action, `${s.label} ${action} interval at ${bin.start} s`);
      if (!a) continue;
      const time = round(bin.start + bin.seconds / 2);
      data.push({
        series: s.label,
        time,
        statistic: 'p50',
        latencyNs: a.p50,
        count: a.count,
        thin: isThinPercentile(a.count, 50),
      });
      data.push({
        series: s.label,
        time,
        statistic: 'p99',
        latencyNs: a.p99,
        count: a.count,
        thin: isThinPercentile(a.count, 99),
      });
    }
  }
  return data;
}

/** Operations of every action in an interval. */
export function intervalCount(interval: { actions: Record<string, { count: number }> }): number {
  return Object.values(interval.actions).reduce((t, a) => t + a.count, 0);
}

export function throughputData(series: readonly Series[]): ThroughputDatum[] {
  const data: ThroughputDatum[] = [];
  for (const s of series) {
    // Zero-length intervals are left out by the binning: they would divide by zero and hold nothing.
    for (const bin of binIntervals(s.backend.intervals, intervalCount)) {
      const actions = [...new Set(bin.intervals.flatMap((i) => Object.keys(i.actions)))];
      for (const action of actions) {
        const count = bin.intervals.reduce((t, i) => t + (i.actions[action]?.count ?? 0), 0);
        data.push({
          series: s.label,
          action,
          time: round(bin.start + bin.seconds / 2),
          opsPerSecond: count / bin.seconds,
        });
      }
    }
    // Failed operations of all actions as their own line, drawn for a series that had any: a dead node or server shows where it happened.
    const errorsIn = (i: { actions: Record<string, { errors?: number }> }) =>
      Object.values(i.actions).reduce((t, a) => t + (a.errors ?? 0), 0);
    if (s.backend.intervals.some((i) => errorsIn(i) > 0)) {
      for (const bin of binIntervals(s.backend.intervals, intervalCount)) {
        const errors = bin.intervals.reduce((t, i) => t + errorsIn(i), 0);
        data.push({
          series: s.label,
          action: ERRORS,
          time: round(bin.start + bin.seconds / 2),
          opsPerSecond: errors / bin.seconds,
        });
      }
    }
  }
  return data;
}

/** What each point is, for the subtitles. */
const POINT_NOTE = `a point: intervals joined to ~${OPS_PER_POINT.toLocaleString('en-US')} ops (≥ 5 points a backend), at mid-stretch`;

export function latencyOverTimeSpec(
  series: readonly Series[],
  action: string,
  options: SpecOptions = {},
): TopLevelSpec {
  const data = latencyOverTimeData(series, action);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: `${action} latency over time (p50 solid, p99 dashed)`,
      subtitle: [POINT_NOTE, 'hollow: < 10 ops beyond the percentile in its stretch'],
      anchor: 'start',
    },
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    data: { values: data },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'seconds since the measurement start' },
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
      pointLayer({ field: 'statistic', type: 'nominal' }, 'datum.thin === false'),
      {
        ...pointLayer({ field: 'statistic', type: 'nominal' }, 'datum.thin === true'),
        mark: { type: 'point' as const, filled: false, size: 36, strokeWidth: 1.5, opacity: 1, tooltip: true },
      },
    ],
  };
}

export function throughputSpec(series: readonly Series[], options: SpecOptions = {}): TopLevelSpec {
  const data = throughputData(series);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'throughput over time', subtitle: [POINT_NOTE], anchor: 'start' },
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    data: { values: data },
    encoding: {
      x: { field: 'time', type: 'quantitative', title: 'seconds since the measurement start' },
      y: {
        field: 'opsPerSecond',
        type: 'quantitative',
        title: 'operations per second',
        scale: { type: 'linear', zero: true },
      },
      color: seriesColor([...new Set(data.map((d) => d.series))]),
    },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2, tooltip: true },
        encoding: { strokeDash: { field: 'action', type: 'nominal', title: 'action' } },
      },
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
function pointLayer(detail: { field: string; type: 'nominal' }, filter?: string) {
  return {
    ...(filter ? { transform: [{ filter }] } : {}),
    mark: { type: 'point' as const, filled: true, size: 24, opacity: 1, tooltip: true },
    encoding: { detail },
  };
}
