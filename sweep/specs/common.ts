/**
 * Helpers shared by the sweep's vega-lite specs. Axis labels, the schema and
 * the latency axis come from reports/specs/common.ts, so sweep plots read like
 * the run reports.
 */
import { latencyY, NS_LABEL_EXPR } from '../../reports/specs/common.js';
import type { CombinationSummary } from '../summary.js';

export { DEFAULT_HEIGHT, DEFAULT_WIDTH, VEGA_LITE_SCHEMA, type TopLevelSpec } from '../../reports/specs/common.js';

/** The combination's values other than `exclude`, e.g. `journal_mode=wal mmap_size=0`; `defaults` for the added reference. */
export function restLabel(c: CombinationSummary, exclude: readonly string[]): string {
  if (c.added) return 'defaults';
  const rest = Object.entries(c.values)
    .filter(([name]) => !exclude.includes(name))
    .map(([name, text]) => `${name}=${text}`);
  return rest.join(' ') || 'all';
}

/** The y (or x) encoding of the objective: log latency in human units, or ops/s. */
export function objectiveEncoding(kind: 'latency' | 'rate', field: string, title: string) {
  if (kind === 'latency') return latencyY(field, 'log', title);
  return { field, type: 'quantitative' as const, title, scale: { zero: true }, axis: { format: '~s' } };
}

export { NS_LABEL_EXPR };
