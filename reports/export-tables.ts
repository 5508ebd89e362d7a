/**
 * `--export csv,md,json`: the timing tables as data beside the report's other
 * files — `tables.csv`, `tables.md`, `tables.json`. CSV and JSON hold raw
 * figures (latencies in integer ns, counts, ops/s), one row per series ×
 * action, for spreadsheets and scripts; Markdown is the report's tables alone.
 */
import type { ExportFormat } from './export-formats.js';
import { percentileKey } from './percentile-list.js';
import { percentileValue } from './percentile-value.js';
import { renderSeriesTables } from './render-table.js';
import type { Series } from './series.js';

export interface TableRow {
  series: string;
  /** The results file's label ('' with one file). */
  file: string;
  backend: string;
  action: string;
  count: number;
  misses: number;
  timeouts: number;
  errors: number;
  /** By key `p50`, `p99.9`: nanoseconds. */
  percentiles: Record<string, number>;
  maxNs: number;
  totalNs: number;
  opsPerSecond: number;
}

export function tableRows(series: readonly Series[], percentiles: readonly number[]): TableRow[] {
  return series.flatMap((s) =>
    Object.entries(s.backend.actions).map(([action, r]) => ({
      series: s.label,
      file: s.fileLabel,
      backend: s.backend.label,
      action,
      count: r.count,
      misses: r.misses,
      timeouts: r.timeouts,
      errors: r.errors,
      percentiles: Object.fromEntries(percentiles.map((p) => [percentileKey(p), percentileValue(r, p)])),
      maxNs: r.percentiles.max,
      totalNs: r.totalNs,
      opsPerSecond: r.throughput,
    })),
  );
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tablesCsv(series: readonly Series[], percentiles: readonly number[]): string {
  const header = [
    'series',
    'file',
    'backend',
    'action',
    'count',
    'misses',
    'timeouts',
    'errors',
    ...percentiles.map((p) => `${percentileKey(p)}_ns`),
    'max_ns',
    'total_ns',
    'ops_per_second',
  ];
  const lines = tableRows(series, percentiles).map((r) =>
    [
      r.series,
      r.file,
      r.backend,
      r.action,
      r.count,
      r.misses,
      r.timeouts,
      r.errors,
      ...percentiles.map((p) => r.percentiles[percentileKey(p)]!),
      r.maxNs,
      r.totalNs,
      r.opsPerSecond,
    ]
      .map(csvField)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

export function tablesJson(series: readonly Series[], percentiles: readonly number[]): string {
  return `${JSON.stringify({ unit: 'ns', percentiles: [...percentiles], rows: tableRows(series, percentiles) }, null, 2)}\n`;
}

/** File name and text of each export. */
export function exportTables(
  series: readonly Series[],
  formats: readonly ExportFormat[],
  percentiles: readonly number[],
): { name: string; text: string }[] {
  return formats.map((format) => {
    if (format === 'csv') return { name: 'tables.csv', text: tablesCsv(series, percentiles) };
    if (format === 'json') return { name: 'tables.json', text: tablesJson(series, percentiles) };
    return { name: 'tables.md', text: renderSeriesTables(series, 'markdown', percentiles) };
  });
}
