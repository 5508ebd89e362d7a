/**
 * Pieces shared by every vega-lite spec: the schema URL, the axis label
 * expression that prints nanoseconds in human units, and the y scale choice.
 */
import type { TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec };

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Log by default: a 1 µs get and a 50 ms filebased set must fit one chart. */
export type LatencyScale = 'log' | 'linear';

export interface SpecOptions {
  /** @default 'log' */
  latencyScale?: LatencyScale;
  /** Chart size in pixels, before legends and axes. @default 640 × 320 */
  width?: number;
  height?: number;
}

export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 320;

/**
 * A vega expression turning a nanosecond tick value into `250 ns`, `12 µs`,
 * `3 ms`, `1.5 s`, so users read axes in the same units as the tables.
 */
export const NS_LABEL_EXPR = [
  "datum.value >= 1e9 ? format(datum.value / 1e9, '~g') + ' s'",
  "datum.value >= 1e6 ? format(datum.value / 1e6, '~g') + ' ms'",
  "datum.value >= 1e3 ? format(datum.value / 1e3, '~g') + ' µs'",
  "format(datum.value, '~g') + ' ns'",
].join(' : ');

/** Latency y encoding: field in ns, log or linear, labels in human units. */
export function latencyY(field: string, scale: LatencyScale, title = 'latency') {
  return {
    field,
    type: 'quantitative' as const,
    title,
    // A log scale must not include zero; a linear one starts at zero so bar heights compare honestly.
    scale: scale === 'log' ? { type: 'log' as const } : { type: 'linear' as const, zero: true },
    axis: { labelExpr: NS_LABEL_EXPR },
  };
}

/** Colour legend for series, in report order rather than alphabetical. */
export function seriesColor(order: readonly string[], title = 'backend') {
  return { field: 'series', type: 'nominal' as const, title, sort: [...order], legend: { labelLimit: 320 } };
}
