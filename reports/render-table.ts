/**
 * python-diskcache-style timing tables, one per series: Action, Count, Miss,
 * Median, P90, P99, Max, Total, each latency in its own unit. Timeout and
 * Error columns appear only when a series had some (timeouts are within
 * Count and Miss, errors are not), so the common table keeps
 * the familiar eight columns while nothing is hidden. Rows come in diskcache's
 * order (get, set, delete), other actions after them by name. The series' description, notes and the
 * scenario's own metrics (crawler pages/s, analytics' lost increments) follow
 * the table, and for a run through load agents each host's part (host-table.ts).
 *
 * The text form is python-diskcache's layout (tests/utils.py `display`) to the
 * character, so its tests/plot.py parser reads our tables.txt: a rule of
 * nine-character `=` blocks, `Timings for NAME`, a line of 79 dashes, then
 * right-aligned nine-character cells separated by one space, latencies in
 * `us`/`ms`/`s`, counts without separators. See test/reports/diskcache-tables.test.ts.
 * So throughput is a line under the text table (a column would change
 * diskcache's header), and an `Ops/s` column in Markdown and HTML. In open loop
 * the achieved rate is set against the target and flagged when short of it.
 */
import { timeoutsTimed } from '../results/answer-counts.js';
import type { ResultsFile } from '../results/results.js';
import { formatCount, formatDuration, formatTableDuration } from './format-duration.js';
import { formatMetrics, metricsLine, type FormattedMetric } from './format-metrics.js';
import { byDiskcacheOrder } from './diskcache-order.js';
import { buildHostTable, hostTableMarkdown, hostTableText } from './host-table.js';
import { DEFAULT_PERCENTILES, percentileColumn } from './percentile-list.js';
import { percentileValue } from './percentile-value.js';
import { DURABILITY_TEXT } from './measurement-notes.js';
import { collectSeries, type Series } from './series.js';
import { RATE_TOLERANCE } from './summary.js';
import { isThinPercentile, MIN_TAIL_SAMPLES, minimumCountFor } from './tail-samples.js';

export type TableFormat = 'text' | 'markdown';

export interface RenderTableOptions {
  /** @default 'text' */
  format?: TableFormat;
  /** File labels when several files are shown (see `collectSeries`). */
  labels?: readonly string[];
  /** Percentile columns, 0–100 exclusive (percentile-list.ts). @default [50, 90, 99] */
  percentiles?: readonly number[];
}

export interface Table {
  title: string;
  /** The series' registry name, call style and durability (the text form prints it under the table). */
  description: string;
  notes: string[];
  header: string[];
  rows: string[][];
  /** The scenario's own figures for this backend (results `metrics`), shown under the table. */
  metrics: FormattedMetric[];
  /** Answered operations per second per action and in total, as one line ('' without actions). */
  throughput: string;
}

/** Tables for every backend of every file, as terminal text or Markdown. */
export function renderTable(files: ResultsFile | readonly ResultsFile[], options: RenderTableOptions = {}): string {
  const list = Array.isArray(files) ? (files as readonly ResultsFile[]) : [files as ResultsFile];
  return renderSeriesTables(collectSeries(list, options.labels), options.format ?? 'text', options.percentiles);
}

export function renderSeriesTables(
  series: readonly Series[],
  format: TableFormat,
  percentiles: readonly number[] = DEFAULT_PERCENTILES,
): string {
  // A run through agents adds each host's part under the backend's merged table (host-table.ts).
  if (format === 'markdown')
    return series
      .map((s) => {
        const hosts = hostTableMarkdown(buildHostTable(s, 'rich', percentiles));
        return `${markdownTable(buildTable(s, 'rich', percentiles))}${hosts ? `\n${hosts}` : ''}`;
      })
      .join('\n');
  return series
    .map(
      (s) =>
        `${textTable(buildTable(s, 'plain', percentiles))}${hostTableText(buildHostTable(s, 'plain', percentiles))}`,
    )
    .join('\n');
}

/** A one-line description of a series: registry name, call style, durability. */
export function describeSeries(s: Series): string {
  const d = s.backend.description;
  if (!d) return s.backend.name;
  return `${d.name}, ${d.callStyle}, durability: ${DURABILITY_TEXT[d.durability] ?? d.durability}`;
}

/**
 * Cell text: `rich` for Markdown and HTML (µs, counts grouped as 1,234), `plain`
 * for the text tables (diskcache's units and bare counts; see the top of the file).
 */
export type CellStyle = 'rich' | 'plain';

export function buildTable(
  s: Series,
  style: CellStyle = 'rich',
  percentiles: readonly number[] = DEFAULT_PERCENTILES,
): Table {
  const count = style === 'plain' ? (n: number): string => String(Math.round(n)) : formatCount;
  const duration = style === 'plain' ? formatTableDuration : formatDuration;
  const entries = Object.entries(s.backend.actions).sort(([a], [b]) => byDiskcacheOrder(a, b));
  const withTimeouts = entries.some(([, r]) => r.timeouts > 0);
  const withErrors = entries.some(([, r]) => r.errors > 0);
  const rich = style === 'rich';
  const header = [
    'Action',
    'Count',
    'Miss',
    ...(withTimeouts ? ['Timeout'] : []),
    ...(withErrors ? ['Error'] : []),
    ...percentiles.map(percentileColumn),
    'Max',
    'Total',
    ...(rich ? ['Ops/s'] : []),
  ];
  const rows = entries.map(([action, r]) => [
    action,
    count(r.count),
    count(r.misses),
    ...(withTimeouts ? [count(r.timeouts)] : []),
    ...(withErrors ? [count(r.errors)] : []),
    ...percentiles.map((p) => duration(percentileValue(r, p))),
    duration(r.percentiles.max),
    duration(r.totalNs),
    ...(rich ? [formatCount(r.throughput)] : []),
  ]);
  if (entries.length > 1) {
    // diskcache closes each table with a Total row; percentiles of a mix are not summed, so those cells stay empty.
    const sum = (pick: (r: (typeof entries)[number][1]) => number): number =>
      entries.reduce((t, [, r]) => t + pick(r), 0);
    rows.push([
      'Total',
      count(sum((r) => r.count)),
      count(sum((r) => r.misses)),
      ...(withTimeouts ? [count(sum((r) => r.timeouts))] : []),
      ...(withErrors ? [count(sum((r) => r.errors))] : []),
      ...percentiles.map(() => ''),
      '',
      duration(sum((r) => r.totalNs)),
      ...(rich ? [formatCount(sum((r) => r.throughput))] : []),
    ]);
  }
  const notes: string[] = [];
  if (s.backend.status !== 'completed')
    notes.push(`status ${s.backend.status}${s.backend.message ? `: ${s.backend.message}` : ''}`);
  // A disturbed run says so under its own table, not only in the notes at the end.
  if (s.backend.hostNoise && s.backend.hostNoise.noisyIntervals.length > 0)
    notes.push(
      `noisy host: ${s.backend.hostNoise.noisyIntervals.length} interval(s) where other processes used more than ${s.backend.hostNoise.thresholdCores} cores (see the measurement notes)`,
    );
  for (const [action, r] of entries) {
    if (r.errorMessages.length > 0) notes.push(`${action} errors: ${r.errorMessages.join('; ')}`);
  }
  // The columns show the file's own counts; an older file's Timeout column meant something else (answer-counts.ts).
  if (withTimeouts && !timeoutsTimed(s.file.run)) {
    notes.push(
      'timeouts not timed: this file predates timed timeouts, so Count and Miss exclude the Timeout column and the latencies leave out the waits that timed out',
    );
  }
  if (entries.length === 0 && s.backend.status === 'completed') notes.push('no actions recorded');
  // The deepest percentile shown, with fewer than 10 operations beyond it, is close to the max: say so under the table (tail-samples.ts).
  const deepest = Math.max(...percentiles);
  const thin = entries.filter(([, r]) => r.count > 0 && isThinPercentile(r.count, deepest));
  if (thin.length > 0)
    notes.push(
      `few samples: p${deepest} of ${thin.map(([action, r]) => `${action} from ${count(r.count)}`).join(', ')} operations (fewer than ${MIN_TAIL_SAMPLES} beyond it, ${formatCount(minimumCountFor(deepest))} needed), so it is close to the max`,
    );
  const rate = openLoopRate(s);
  if (rate) notes.push(rate);
  return {
    title: `Timings for ${s.label}`,
    description: describeSeries(s),
    notes,
    header,
    rows,
    metrics: formatMetrics(s.backend.metrics),
    throughput: throughputLine(s),
  };
}

function totalThroughput(s: Series): number {
  return Object.values(s.backend.actions).reduce((t, r) => t + r.throughput, 0);
}

/** `throughput: get 5,424 · set 517 · total 5,941 ops/s` (answered operations per second). */
function throughputLine(s: Series): string {
  const entries = Object.entries(s.backend.actions).sort(([a], [b]) => byDiskcacheOrder(a, b));
  if (entries.length === 0) return '';
  const parts = entries.map(([action, r]) => `${action} ${formatCount(r.throughput)}`);
  if (entries.length > 1) parts.push(`total ${formatCount(totalThroughput(s))}`);
  return `throughput: ${parts.join(' · ')} ops/s`;
}

/** Open loop: the achieved rate against the target, flagged below RATE_TOLERANCE of it; undefined in closed loop. */
export function openLoopRate(s: Series): string | undefined {
  const target = s.file.run.rate;
  if (s.file.run.loadModel !== 'open' || target === null || target <= 0 || Object.keys(s.backend.actions).length === 0)
    return undefined;
  const achieved = totalThroughput(s);
  const fraction = achieved / target;
  const text = `open loop: achieved ${formatCount(achieved)} of the ${formatCount(target)} ops/s target (${(fraction * 100).toFixed(1)}%)`;
  return fraction < RATE_TOLERANCE
    ? `${text} — SHORT of the target (below ${Math.round(RATE_TOLERANCE * 100)}%): the backend could not keep up, its latencies include the backlog`
    : text;
}

/** diskcache's cell width (`%9s`); a wider cell widens its column. */
const CELL = 9;
/** The dashed rule under the title spans diskcache's eight columns: plot.py wants exactly 79 dashes. */
const DISKCACHE_COLUMNS = 8;

function textTable(t: Table): string {
  const widths = t.header.map((h, i) => Math.max(CELL, h.length, ...t.rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join(' ');
  const rule = widths.map((w) => '='.repeat(w)).join(' ');
  const dashes = widths
    .slice(0, DISKCACHE_COLUMNS)
    .map((w) => '-'.repeat(w))
    .join('-');
  const out = [rule, t.title, dashes, line(t.header), rule];
  for (const row of t.rows) out.push(line(row));
  out.push(rule);
  // The backend's own lines first (description, scenario metrics), then throughput and the notes.
  out.push(`  ${t.description}`);
  if (t.metrics.length > 0) out.push(`  scenario metrics: ${metricsLine(t.metrics)}`);
  if (t.throughput) out.push(`  ${t.throughput}`);
  for (const note of t.notes) out.push(`  ${note}`);
  return `${out.join('\n')}\n`;
}

function markdownTable(t: Table): string {
  const escape = (c: string): string => c.replace(/\|/g, '\\|');
  const out = [`### ${escape(t.title)} (${escape(t.description)})`, ''];
  for (const note of t.notes) out.push(`> ${escape(note)}`, '');
  out.push(`| ${t.header.join(' | ')} |`);
  out.push(`|${t.header.map((_, i) => (i === 0 ? ':---' : '---:')).join('|')}|`);
  for (const row of t.rows) out.push(`| ${row.map(escape).join(' | ')} |`);
  if (t.metrics.length > 0) out.push('', `Scenario metrics: ${escape(metricsLine(t.metrics))}`);
  return `${out.join('\n')}\n`;
}
