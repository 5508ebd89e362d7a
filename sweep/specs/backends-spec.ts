/**
 * With several backends: p99 latency against the workload axis (a scenario
 * parameter such as the read:write ratio, or procs), one line per backend,
 * get solid and set dashed. The talk's caveat — a disk cache pays off at
 * "read:write 10:1 or higher" — is where the lines cross. Each point is the
 * backend's defaults configuration in that context, so lines compare
 * backends as shipped, not the best of unlike grids.
 */
import type { SweepSummary } from '../summary.js';
import { DEFAULT_HEIGHT, DEFAULT_WIDTH, VEGA_LITE_SCHEMA, objectiveEncoding, type TopLevelSpec } from './common.js';

export interface BackendLineDatum {
  backend: string;
  x: string;
  /** `get p99`, `set p99`, or the objective when it is a throughput. */
  measure: string;
  value: number;
}

/** The x axis: the first scenario parameter with several values, else procs; null when neither varies. */
export function backendLinesAxis(summary: SweepSummary): string | null {
  const varying = summary.axes.filter((a) => a.values.length > 1);
  if (!varying.some((a) => a.name === 'backend')) return null;
  return varying.find((a) => a.kind === 'param')?.name ?? varying.find((a) => a.name === 'procs')?.name ?? null;
}

export function backendLinesData(summary: SweepSummary, axis: string): BackendLineDatum[] {
  const data: BackendLineDatum[] = [];
  const latency = summary.objective.kind === 'latency';
  for (const c of summary.combinations) {
    const x = axis === 'procs' ? String(c.procs) : c.values[axis];
    if (!c.isDefault || x === undefined || c.objective.median === null) continue;
    if (!latency) {
      data.push({ backend: c.backendName, x, measure: summary.objective.text, value: c.objective.median });
      continue;
    }
    for (const action of ['get', 'set']) {
      const figures = c.actions[action];
      if (figures) data.push({ backend: c.backendName, x, measure: `${action} p99`, value: figures.p99 });
    }
  }
  return data;
}

export function backendLinesSpec(summary: SweepSummary): { axis: string; spec: TopLevelSpec } | null {
  const axis = backendLinesAxis(summary);
  if (!axis) return null;
  const data = backendLinesData(summary, axis);
  if (data.length === 0) return null;
  const order =
    axis === 'procs'
      ? [...new Set(data.map((d) => d.x))].sort((a, b) => Number(a) - Number(b))
      : (summary.axes.find((a) => a.name === axis)?.values ?? []);
  const backends = summary.axes.find((a) => a.name === 'backend')?.values ?? [];
  const title = summary.objective.kind === 'latency' ? 'p99 latency' : summary.objective.text;
  return {
    axis,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: {
        text: `${title} vs ${axis}, one line per backend (its defaults)${summary.objective.kind === 'latency' ? '; get solid, set dashed' : ''}`,
        anchor: 'start',
      },
      width: DEFAULT_WIDTH,
      height: DEFAULT_HEIGHT,
      data: { values: data },
      mark: { type: 'line', point: true, tooltip: true },
      encoding: {
        // Ordinal: parameter values are steps the user chose (1, 10, 100), evenly spaced.
        x: { field: 'x', type: 'ordinal', title: axis, sort: order, axis: { labelAngle: 0 } },
        y: objectiveEncoding(summary.objective.kind, 'value', title),
        color: { field: 'backend', type: 'nominal', title: 'backend', sort: backends },
        strokeDash: { field: 'measure', type: 'nominal', title: 'measure' },
      },
    },
  };
}
