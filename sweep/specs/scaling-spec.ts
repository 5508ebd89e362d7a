/**
 * Objective vs processes and shards: x is procs (or shards when only shards
 * vary), one line per shard count (or per setting of the other axes). Shows
 * whether more shards pay for themselves as writers are added.
 */
import type { SweepSummary } from '../summary.js';
import {
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  VEGA_LITE_SCHEMA,
  objectiveEncoding,
  restLabel,
  type TopLevelSpec,
} from './common.js';

export interface ScalingDatum {
  x: number;
  series: string;
  value: number;
}

export function scalingAxes(summary: SweepSummary): { x: string; color: string | null } | null {
  const varying = (name: string): boolean => (summary.axes.find((a) => a.name === name)?.values.length ?? 0) > 1;
  if (varying('procs')) return { x: 'procs', color: varying('shards') ? 'shards' : null };
  if (varying('shards')) return { x: 'shards', color: null };
  return null;
}

export function scalingData(summary: SweepSummary, x: string, color: string | null): ScalingDatum[] {
  const data: ScalingDatum[] = [];
  for (const c of summary.combinations) {
    const xText = x === 'procs' ? String(c.procs) : c.values[x];
    if (xText === undefined || c.objective.median === null) continue;
    const series = color ? (c.added ? 'defaults' : `${color}=${c.values[color]}`) : restLabel(c, [x]);
    data.push({ x: Number(xText), series, value: c.objective.median });
  }
  // With a colour axis and other axes too, keep the best of each (x, series) point.
  const sign = summary.objective.kind === 'latency' ? 1 : -1;
  const best = new Map<string, ScalingDatum>();
  for (const d of data) {
    const key = JSON.stringify([d.x, d.series]);
    const held = best.get(key);
    if (!held || sign * (d.value - held.value) < 0) best.set(key, d);
  }
  return [...best.values()].sort((a, b) => a.x - b.x);
}

export function scalingSpec(summary: SweepSummary): TopLevelSpec | null {
  const axes = scalingAxes(summary);
  if (!axes) return null;
  const data = scalingData(summary, axes.x, axes.color);
  if (data.length === 0) return null;
  const others = summary.axes.filter((a) => a.values.length > 1 && a.name !== axes.x && a.name !== axes.color);
  const thing = summary.objective.kind === 'latency' ? 'latency' : 'throughput';
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: `${thing} (${summary.objective.text}) vs ${axes.x}${axes.color ? ` and ${axes.color}` : ''}${axes.color && others.length ? ' (best over the other axes)' : ''}`,
      anchor: 'start',
    },
    width: DEFAULT_WIDTH,
    height: DEFAULT_HEIGHT,
    data: { values: data },
    mark: { type: 'line', point: true, tooltip: true },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: axes.x,
        scale: { type: 'log', base: 2 },
        axis: { values: [...new Set(data.map((d) => d.x))], format: 'd' },
      },
      y: objectiveEncoding(summary.objective.kind, 'value', summary.objective.text),
      color: { field: 'series', type: 'nominal', title: axes.color ?? 'configuration', legend: { labelLimit: 320 } },
    },
  };
}
