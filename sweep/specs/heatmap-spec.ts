/**
 * Heat-map of the objective over two axes. When the grid has more axes, each
 * cell shows the best combination over the others ("what is the best I can
 * get with journal_mode=wal and synchronous=off"), and says so in the title.
 */
import type { SweepSummary } from '../summary.js';
import { formatObjective } from '../ranking-table.js';
import { DEFAULT_WIDTH, VEGA_LITE_SCHEMA, type TopLevelSpec } from './common.js';

/**
 * formatDuration (reports/format-duration.ts) as a Vega expression: the unit
 * chosen after rounding to 3 significant digits (999.96 µs → 1.00 ms), the
 * digits kept with trailing zeros (d3's 'r' format), so legend and cells agree.
 */
const DURATION_3_SIGNIFICANT = [
  "datum.value >= 999.5e6 ? format(datum.value / 1e9, '.3r') + ' s'",
  "datum.value >= 999.5e3 ? format(datum.value / 1e6, '.3r') + ' ms'",
  "datum.value >= 999.5 ? format(datum.value / 1e3, '.3r') + ' µs'",
  "format(round(datum.value), 'd') + ' ns'",
].join(' : ');

export interface HeatDatum {
  x: string;
  y: string;
  value: number;
  text: string;
  /** In the better half of the colour scale, where the cell is dark and its text must be light. */
  dark: boolean;
}

export function heatmapData(summary: SweepSummary, xAxis: string, yAxis: string): HeatDatum[] {
  const sign = summary.objective.kind === 'latency' ? 1 : -1;
  const cells = new Map<string, HeatDatum>();
  for (const c of summary.combinations) {
    const x = c.values[xAxis];
    const y = c.values[yAxis];
    if (c.added || x === undefined || y === undefined || c.objective.median === null) continue;
    const key = JSON.stringify([x, y]);
    const held = cells.get(key);
    if (!held || sign * (c.objective.median - held.value) < 0) {
      cells.set(key, {
        x,
        y,
        value: c.objective.median,
        text: formatObjective(summary.objective.kind, c.objective.median),
        dark: false,
      });
    }
  }
  const data = [...cells.values()];
  // Same scale as the colours: log for latency, linear for throughput.
  const position = summary.objective.kind === 'latency' ? (v: number) => Math.log(Math.max(v, 1)) : (v: number) => v;
  const low = Math.min(...data.map((d) => position(d.value)));
  const high = Math.max(...data.map((d) => position(d.value)));
  for (const d of data) {
    const share = high === low ? 0.5 : (position(d.value) - low) / (high - low);
    d.dark = summary.objective.kind === 'latency' ? share < 0.5 : share > 0.5;
  }
  return data;
}

export function heatmapSpec(summary: SweepSummary, xAxis: string, yAxis: string): TopLevelSpec | null {
  const data = heatmapData(summary, xAxis, yAxis);
  if (data.length === 0) return null;
  const order = (name: string): string[] => summary.axes.find((a) => a.name === name)?.values ?? [];
  const others = summary.axes.filter((a) => a.name !== xAxis && a.name !== yAxis && a.values.length > 1);
  const latency = summary.objective.kind === 'latency';
  const xValues = order(xAxis).length;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: `${summary.objective.text} by ${xAxis} × ${yAxis}${others.length ? ` (best over ${others.map((a) => a.name).join(', ')})` : ''}`,
      anchor: 'start',
    },
    width: Math.min(DEFAULT_WIDTH, 110 * xValues),
    height: 48 * order(yAxis).length,
    data: { values: data },
    encoding: {
      x: { field: 'x', type: 'ordinal', title: xAxis, sort: order(xAxis), axis: { labelAngle: 0 } },
      y: { field: 'y', type: 'ordinal', title: yAxis, sort: order(yAxis) },
    },
    layer: [
      {
        mark: { type: 'rect', tooltip: true },
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            title: summary.objective.text,
            // Better is darker either way: low latency or high throughput.
            scale: { scheme: 'blues', reverse: latency, type: latency ? 'log' : 'linear' },
            // The cells print formatDuration's 3 significant digits ("28.0 µs"); the legend must read the same way.
            legend: latency ? { labelExpr: DURATION_3_SIGNIFICANT } : {},
          },
        },
      },
      {
        mark: { type: 'text', fontSize: 12 },
        encoding: {
          text: { field: 'text', type: 'nominal' },
          color: { condition: { test: 'datum.dark', value: 'white' }, value: '#222' },
        },
      },
    ],
  };
}
