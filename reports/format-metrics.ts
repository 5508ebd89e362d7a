/**
 * A backend's scenario metrics (crawler pages/s and hit ratio, analytics'
 * conservation check) as name/value text for the tables. Metrics are
 * free-form in the results file, so formatting goes by value type and by the
 * naming habit of the scenarios and backends: a name ending in "Ratio" is a
 * fraction, one ending in "Ns" a time in nanoseconds (the engine's
 * `writes.lockWaitNs`, `writes.checkpointNs`: why a write tail is long).
 */
import type { BackendResult } from '../results/results.js';
import { formatCount, formatDuration, formatPercent } from './format-duration.js';

export interface FormattedMetric {
  name: string;
  value: string;
}

export function formatMetricValue(name: string, value: number | string | boolean): string {
  if (typeof value !== 'number') return String(value);
  if (/ratio$/i.test(name) && Number.isFinite(value)) return formatPercent(value);
  if (/Ns$/.test(name) && Number.isFinite(value)) return formatDuration(value);
  if (Number.isInteger(value)) return formatCount(value);
  if (!Number.isFinite(value)) return String(value);
  // Rates such as pages/s: four significant figures, grouped when large.
  return Math.abs(value) >= 1000 ? formatCount(value) : String(Number(value.toPrecision(4)));
}

/** The metrics in the order the results file lists them; [] when there are none. */
export function formatMetrics(metrics: BackendResult['metrics']): FormattedMetric[] {
  return Object.entries(metrics ?? {}).map(([name, value]) => ({ name, value: formatMetricValue(name, value) }));
}

/** One line, `name value · name value`, for text and Markdown. */
export function metricsLine(metrics: readonly FormattedMetric[]): string {
  return metrics.map((m) => `${m.name} ${m.value}`).join(' · ');
}
