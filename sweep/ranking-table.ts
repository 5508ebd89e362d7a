/**
 * The ranking table (combinations sorted by the objective) as cells, shared
 * by the terminal, Markdown and HTML outputs so the three never disagree.
 */
import { formatCount, formatDuration, formatPercent } from '../reports/format-duration.js';
import type { Recommendation } from './recommend.js';
import type { CombinationSummary, SweepSummary } from './summary.js';

export interface RankingTable {
  header: string[];
  rows: string[][];
  /** Index into rows of the recommended combination(s), for highlighting. */
  recommended: Set<number>;
}

/** Objective values in their own unit: ns as µs/ms, throughput as ops/s. */
export function formatObjective(kind: 'latency' | 'rate', value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return kind === 'latency' ? formatDuration(value) : `${formatCount(value)} ops/s`;
}

export function rankingTable(summary: SweepSummary, limit = Infinity): RankingTable {
  const kind = summary.objective.kind;
  const actions = shownActions(summary.combinations);
  const withMiss = summary.combinations.some((c) => (c.actions.get?.missRate ?? 0) > 0);
  const header = [
    '#',
    'configuration',
    summary.objective.text,
    'spread',
    'vs defaults',
    ...actions.map((a) => `${a} p99`),
    ...(withMiss ? ['get miss'] : []),
    'runs',
  ];
  const references = new Map<string, number | null>();
  for (const r of summary.recommendations) if (r.reference) references.set(r.context, r.reference.median);
  const recommendedIndexes = new Set(summary.recommendations.map((r: Recommendation) => r.recommended.index));
  const recommended = new Set<number>();
  const rows = summary.combinations.slice(0, limit).map((c, i) => {
    const values = c.objective.values;
    const reference = references.get(c.context ?? '') ?? null;
    const ratio = reference && c.objective.median !== null ? c.objective.median / reference : null;
    if (recommendedIndexes.has(c.index)) recommended.add(i);
    // Timed-out gets are misses already (results/answer-counts.ts); adding timeoutRate would count them twice.
    const miss = c.actions.get?.missRate;
    return [
      String(i + 1),
      `${c.label}${c.isDefault ? ' (defaults)' : ''}${recommendedIndexes.has(c.index) ? ' ★' : ''}`,
      formatObjective(kind, c.objective.median),
      values.length > 1
        ? `${formatObjective(kind, Math.min(...values))} – ${formatObjective(kind, Math.max(...values))}`
        : '',
      ratio === null ? '—' : `${ratio.toFixed(3)}×`,
      ...actions.map((a) => (c.actions[a] ? formatDuration(c.actions[a]!.p99) : '—')),
      ...(withMiss ? [miss === undefined ? '—' : formatPercent(miss)] : []),
      `${c.completed}/${c.planned}${c.problems.length ? ` (${c.problems[0]})` : c.unavailable ? ' (unavailable, skipped)' : ''}`,
    ];
  });
  return { header, rows, recommended };
}

// get and set first (the talk's pair), then the rest, at most three columns.
function shownActions(rows: readonly CombinationSummary[]): string[] {
  const all = [...new Set(rows.flatMap((c) => Object.keys(c.actions)))];
  return [
    ...all.filter((a) => a === 'get' || a === 'set').sort(),
    ...all.filter((a) => a !== 'get' && a !== 'set'),
  ].slice(0, 3);
}

export function textTable(t: RankingTable): string {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(t.header), widths.map((w) => '-'.repeat(w)).join('  '), ...t.rows.map(line)].join('\n') + '\n';
}

export function markdownTable(t: RankingTable): string {
  const escape = (c: string): string => c.replace(/\|/g, '\\|');
  const rows = t.rows.map(
    (r, i) => `| ${r.map((c, j) => (j === 1 && t.recommended.has(i) ? `**${escape(c)}**` : escape(c))).join(' | ')} |`,
  );
  return (
    [
      `| ${t.header.map(escape).join(' | ')} |`,
      `|${t.header.map((_, i) => (i === 1 ? ':---' : '---:')).join('|')}|`,
      ...rows,
    ].join('\n') + '\n'
  );
}
