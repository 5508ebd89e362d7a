/**
 * The interactive version of a plot's spec, for index.html (the `.vl.json`
 * files and the static SVG/PNG keep the plain spec):
 *
 * - a legend click hides or shows a backend: a point selection over `series`,
 *   bound to the legend, holding the series *shown* (all of them at first), and
 *   toggled by every click, so the first click on an entry hides that backend
 *   and the next brings it back. Vega-lite greys out the legend entries that are
 *   not selected, which here are the hidden ones.
 * - a tooltip on every point: line marks without points get transparent ones
 *   (they still catch the pointer), which show the mark's tooltip fields.
 *
 * Plots without a backend colour legend (the bar panels name backends on the
 * axis) keep their tooltips and get no selection.
 */
import type { TopLevelSpec } from './common.js';

/** Name of the legend-bound selection: the series drawn. */
export const SHOWN_PARAM = 'shown';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The distinct series of a spec with a `series` colour legend, in legend order; null without one. */
export function legendSeries(spec: TopLevelSpec): string[] | null {
  const s = spec as unknown as Json;
  const color = isObject(s.encoding) ? s.encoding.color : undefined;
  if (!isObject(color) || color.field !== 'series' || color.legend === null) return null;
  const values = isObject(s.data) && Array.isArray(s.data.values) ? (s.data.values as Json[]) : [];
  const seen = [...new Set(values.map((v) => String(v.series)))];
  const order = Array.isArray(color.sort) ? (color.sort as string[]) : [];
  return [...order.filter((name) => seen.includes(name)), ...seen.filter((name) => !order.includes(name))];
}

/** Gives a line mark transparent points, so each data point shows a tooltip under the pointer. */
function withHoverPoints(unit: Json): void {
  const mark = typeof unit.mark === 'string' ? { type: unit.mark } : unit.mark;
  if (!isObject(mark) || mark.type !== 'line' || mark.point) return;
  unit.mark = {
    ...mark,
    tooltip: mark.tooltip ?? true,
    point: { filled: true, fillOpacity: 0, size: 80, tooltip: mark.tooltip ?? true },
  };
}

export function interactiveSpec(spec: TopLevelSpec): TopLevelSpec {
  const copy = structuredClone(spec) as unknown as Json;
  const layers = Array.isArray(copy.layer) ? (copy.layer as Json[]) : null;
  for (const unit of layers ?? [copy]) withHoverPoints(unit);
  // Points would turn a dash legend into circles; keep it drawing strokes, as the static plot does.
  const dash = isObject(copy.encoding) ? copy.encoding.strokeDash : undefined;
  if (!layers && isObject(dash) && dash.legend === undefined) dash.legend = { symbolType: 'stroke' };
  const series = legendSeries(spec);
  if (series && series.length > 0) {
    const param = {
      name: SHOWN_PARAM,
      select: { type: 'point', fields: ['series'], toggle: 'true' },
      bind: 'legend',
      value: series.map((name) => ({ series: name })),
    };
    // A layered spec declares the selection once, in its first layer; the shared encoding applies it to all.
    const holder = layers ? layers[0] : copy;
    holder.params = [...((holder.params as unknown[]) ?? []), param];
    (copy.encoding as Json).opacity = { condition: { param: SHOWN_PARAM, empty: false, value: 1 }, value: 0 };
  }
  return copy as unknown as TopLevelSpec;
}
