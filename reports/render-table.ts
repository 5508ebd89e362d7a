/**
 * python-diskcache-style timing tables, one per series: Action, Count, Miss,
 * Median, P90, P99, Max, Total, each latency in its own unit. Timeout and
 * Error columns appear only when a series had some (timeouts are within
 * Count and Miss, errors are not), so the common table keeps
 * the familiar eight columns while nothing is hidden. A scenario's own metrics
 * (crawler pages/s, analytics' lost increments) follow the table.
 */
import { timeoutsTimed } from '../harness/answer-counts.js';
import type { ResultsFile } from '../harness/results.js';
import { formatCount, formatDuration } from './format-duration.js';
import { formatMetrics, metricsLine, type FormattedMetric } from './format-metrics.js';
import { DURABILITY_TEXT } from './measurement-notes.js';
import { collectSeries, type Series } from './series.js';

export type TableFormat = 'text' | 'markdown';

export interface RenderTableOptions {
  /** @default 'text' */
  format?: TableFormat;
  /** File labels when several files are shown (see `collectSeries`). */
  labels?: readonly string[];
}

interface Table {
  title: string;
  notes: string[];
  header: string[];
  rows: string[][];
  /** The scenario's own figures for this backend (results `metrics`), shown under the table. */
  metrics: FormattedMetric[];
}

/** Tables for every backend of every file, as terminal text or Markdown. */
export function renderTable(files: ResultsFile | readonly ResultsFile[], options: RenderTableOptions = {}): string {
  const list = Array.isArray(files) ? (files as readonly ResultsFile[]) : [files as ResultsFile];
  return renderSeriesTables(collectSeries(list, options.labels), options.format ?? 'text');
}

export function renderSeriesTables(series: readonly Series[], format: TableFormat): string {
  const tables = series.map(buildTable);
  const render = format === 'markdown' ? markdownTable : textTable;
  return tables.map(render).join('\n');
}

/** A one-line description of a series: registry name, call style, durability. */
export function describeSeries(s: Series): string {
  const d = s.backend.description;
  if (!d) return s.backend.name;
  return `${d.name}, ${d.callStyle}, durability: ${DURABILITY_TEXT[d.durability] ?? d.durability}`;
}

export function buildTable(s: Series): Table {
  const entries = Object.entries(s.backend.actions);
  const withTimeouts = entries.some(([, r]) => r.timeouts > 0);
  const withErrors = entries.some(([, r]) => r.errors > 0);
  const header = ['Action', 'Count', 'Miss', ...(withTimeouts ? ['Timeout'] : []), ...(withErrors ? ['Error'] : []), 'Median', 'P90', 'P99', 'Max', 'Total'];
  const rows = entries.map(([action, r]) => [
    action,
    formatCount(r.count),
    formatCount(r.misses),
    ...(withTimeouts ? [formatCount(r.timeouts)] : []),
    ...(withErrors ? [formatCount(r.errors)] : []),
    formatDuration(r.percentiles.p50),
    formatDuration(r.percentiles.p90),
    formatDuration(r.percentiles.p99),
    formatDuration(r.percentiles.max),
    formatDuration(r.totalNs),
  ]);
  if (entries.length > 1) {
    // diskcache closes each table with a Total row; percentiles of a mix are not summed, so those cells stay empty.
    const sum = (pick: (r: (typeof entries)[number][1]) => number): number => entries.reduce((t, [, r]) => t + pick(r), 0);
    rows.push([
      'Total',
      formatCount(sum((r) => r.count)),
      formatCount(sum((r) => r.misses)),
      ...(withTimeouts ? [formatCount(sum((r) => r.timeouts))] : []),
      ...(withErrors ? [formatCount(sum((r) => r.errors))] : []),
      '',
      '',
      '',
      '',
      formatDuration(sum((r) => r.totalNs)),
    ]);
  }
  const notes: string[] = [];
  if (s.backend.status !== 'completed') notes.push(`status ${s.backend.status}${s.backend.message ? `: ${s.backend.message}` : ''}`);
  // Issue 12: a disturbed run says so under its own table, not only in the notes at the end.
  if (s.backend.hostNoise && s.backend.hostNoise.noisyIntervals.length > 0) notes.push(`noisy host: ${s.backend.hostNoise.noisyIntervals.length} interval(s) where other processes used more than ${s.backend.hostNoise.thresholdCores} cores (see the measurement notes)`);
  for (const [action, r] of entries) {
    if (r.errorMessages.length > 0) notes.push(`${action} errors: ${r.errorMessages.join('; ')}`);
  }
  // The columns show the file's own counts; an older file's Timeout column meant something else (answer-counts.ts).
  if (withTimeouts && !timeoutsTimed(s.file.run)) {
    notes.push('timeouts not timed: this file predates timed timeouts, so Count and Miss exclude the Timeout column and the latencies leave out the waits that timed out');
  }
  if (entries.length === 0 && s.backend.status === 'completed') notes.push('no actions recorded');
  return { title: `Timings for ${s.label} (${describeSeries(s)})`, notes, header, rows, metrics: formatMetrics(s.backend.metrics) };
}

function textTable(t: Table): string {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const rule = (ch: string): string => widths.map((w) => ch.repeat(w)).join('  ');
  const out = [rule('='), t.title, rule('-'), line(t.header), rule('=')];
  for (const row of t.rows) out.push(line(row));
  out.push(rule('='));
  for (const note of t.notes) out.push(`  ${note}`);
  if (t.metrics.length > 0) out.push(`  scenario metrics: ${metricsLine(t.metrics)}`);
  return `${out.join('\n')}\n`;
}

function markdownTable(t: Table): string {
  const escape = (c: string): string => c.replace(/\|/g, '\\|');
  const out = [`### ${escape(t.title)}`, ''];
  for (const note of t.notes) out.push(`> ${escape(note)}`, '');
  out.push(`| ${t.header.join(' | ')} |`);
  out.push(`|${t.header.map((_, i) => (i === 0 ? ':---' : '---:')).join('|')}|`);
  for (const row of t.rows) out.push(`| ${row.map(escape).join(' | ')} |`);
  if (t.metrics.length > 0) out.push('', `Scenario metrics: ${escape(metricsLine(t.metrics))}`);
  return `${out.join('\n')}\n`;
}
