/**
 * The summary (summary.ts) as terminal text, Markdown or HTML: per action a
 * ranking table (median and p99, each with its ratio to the fastest and to
 * the reference, and ops/s), one sentence per statistic saying who wins and
 * by how much, then a throughput line; in open loop the achieved rate against
 * the target. With repeats each figure carries its range over runs.
 */
import { formatCount, formatDuration, formatRatio } from './format-duration.js';
import type { ActionSummary, Estimate, RankedEntry, Summary, ThroughputEntry } from './summary.js';
import { MIN_TAIL_SAMPLES, minimumCountFor } from './tail-samples.js';

export type SummaryFormat = 'text' | 'markdown';

/** `11.0 µs (10.0–12.0)`: the range drops the unit when both ends share the figure's; no range when every run agreed. */
function withRange(e: Estimate, format: (n: number) => string, unitOf: (text: string) => string = () => ''): string {
  const main = format(e.value);
  if (e.low === undefined || e.high === undefined) return main;
  const [low, high] = [format(e.low), format(e.high)];
  if (low === high) return main;
  const unit = unitOf(main);
  const bare = (t: string): string => (unit && unitOf(t) === unit ? t.slice(0, t.length - unit.length) : t);
  return unit && unitOf(low) === unit && unitOf(high) === unit
    ? `${main} (${bare(low)}–${bare(high)})`
    : `${main} (${low}–${high})`;
}

const suffix = (t: string): string => /(\s\S+|×)$/.exec(t)?.[1] ?? '';
const ratioText = (e: Estimate): string => withRange(e, (n) => `${formatRatio(n)}×`, suffix);
const durationText = (e: Estimate): string => withRange(e, (n) => formatDuration(n), suffix);
const opsText = (e: Estimate): string => withRange(e, (n) => formatCount(n));

/** A ratio to the reference as words: `1.04× slower`, or below 1 inverted, `33× faster` (a range inverts with it). */
function relation(e: Estimate): string {
  if (e.value >= 1) return `${ratioText(e)} slower`;
  const inverse: Estimate = {
    value: 1 / e.value,
    runs: e.runs,
    ...(e.low !== undefined && e.high !== undefined ? { low: 1 / e.high, high: 1 / e.low } : {}),
  };
  return `${ratioText(inverse)} faster`;
}

/** A marker for a p99 that rests on fewer than MIN_TAIL_SAMPLES operations beyond it. */
const THIN = '*';

interface SummaryBlock {
  action: string;
  /** Row of the fastest backend other than the reference. */
  best: number;
  header: string[];
  rows: string[][];
  sentences: string[];
}

/** How many of the slower backends a sentence names before it skips to the slowest. */
const SENTENCE_NAMES = 3;

/** Ratios this close to 1 read as a tie: three significant digits cannot tell them apart. */
const TIE = 1.005;

function sentence(
  action: string,
  statistic: string,
  ranked: readonly RankedEntry[],
  vsBest: (e: RankedEntry) => Estimate,
  vsReference: (e: RankedEntry) => Estimate | undefined,
  reference: string | undefined,
): string {
  const [best, ...rest] = ranked;
  // A range reaching below 1 means that in some run the order was the other way round.
  const versus = (e: RankedEntry): string => {
    const r = vsBest(e);
    if (r.value < TIE) return `level with ${e.label}`;
    return `${ratioText(r)} faster than ${e.label}${r.low !== undefined && r.low < 1 ? ' (not in every run)' : ''}`;
  };
  const named =
    rest.length > SENTENCE_NAMES + 1
      ? [...rest.slice(0, SENTENCE_NAMES).map(versus), `…, ${versus(rest.at(-1)!)} (slowest)`]
      : rest.map(versus);
  let text = `${action} ${statistic}: ${best!.label} fastest`;
  if (named.length > 0) text += `, ${named.join(', ')}`;
  const against = ranked.filter((e) => e.label !== reference && vsReference(e) !== undefined);
  if (reference && against.length > 0)
    text += `; against ${reference} (reference): ${against.map((e) => `${e.label} ${relation(vsReference(e)!)}`).join(', ')}`;
  return text;
}

function block(a: ActionSummary, summaryReference: string | undefined): SummaryBlock {
  const reference = a.byMedian.some((e) => e.label === summaryReference) ? summaryReference : undefined;
  const ref = reference ? [`×${reference}`] : [];
  const header = [a.action, 'median', '×best', ...ref, 'p99', '×best', ...ref, 'ops/s'];
  const rows = a.byMedian.map((e) => [
    e.label === reference ? `${e.label} (ref)` : e.label,
    durationText(e.median),
    ratioText(e.medianVsBest),
    ...(reference ? [e.medianVsReference ? ratioText(e.medianVsReference) : '—'] : []),
    `${durationText(e.p99)}${e.p99Thin ? THIN : ''}`,
    ratioText(e.p99VsBest),
    ...(reference ? [e.p99VsReference ? ratioText(e.p99VsReference) : '—'] : []),
    opsText(e.throughput),
  ]);
  const rivals = (ranked: readonly RankedEntry[]): RankedEntry[] =>
    ranked.length > 1 ? ranked.filter((e) => e.label !== reference) : [...ranked];
  const sentences = [
    sentence(
      a.action,
      'median',
      rivals(a.byMedian),
      (e) => e.medianVsBest,
      (e) => e.medianVsReference,
      reference,
    ),
    sentence(
      a.action,
      'p99',
      rivals(a.byP99),
      (e) => e.p99VsBest,
      (e) => e.p99VsReference,
      reference,
    ),
  ];
  const thin = new Map<number, string[]>();
  for (const e of a.byMedian.filter((x) => x.p99Thin)) thin.set(e.count, [...(thin.get(e.count) ?? []), e.label]);
  if (thin.size > 0) {
    const which = [...thin].map(
      ([count, labels]) =>
        `${formatCount(count)} ${a.action}s (${labels.length === a.byMedian.length && labels.length > 1 ? 'every backend' : labels.join(', ')})`,
    );
    sentences.push(
      `${THIN} p99 from ${which.join(', ')}: fewer than ${MIN_TAIL_SAMPLES} operations beyond it (${formatCount(minimumCountFor(99))} needed), so it is close to the maximum`,
    );
  }
  const fastest = rivals(a.byMedian)[0]!.label;
  return { action: a.action, best: a.byMedian.findIndex((e) => e.label === fastest), header, rows, sentences };
}

function throughputLine(summary: Summary): string {
  const t = summary.throughput;
  if (t.length === 0) return '';
  const top = t[0]!.opsPerSecond.value;
  const item = (e: ThroughputEntry, i: number): string => {
    const ratio =
      i > 0 && e.opsPerSecond.value > 0 && top / e.opsPerSecond.value >= TIE
        ? `, ${formatRatio(top / e.opsPerSecond.value)}× fewer`
        : '';
    return `${e.label} ${opsText(e.opsPerSecond)}${ratio}`;
  };
  let text = `throughput, answered ops/s over all actions: ${t.map(item).join(' · ')}`;
  const open = t.filter((e) => e.targetOpsPerSecond !== undefined);
  if (open.length > 0) {
    const pct = (f: number): string => `${(f * 100).toFixed(f < 0.995 ? 1 : 0)}%`;
    text += `\nopen loop, target ${formatCount(open[0]!.targetOpsPerSecond!)} ops/s: ${open
      .map((e) => `${e.label} achieved ${pct(e.achievedFraction!)}${e.short ? ' — SHORT of the target' : ''}`)
      .join(' · ')}`;
    if (open.some((e) => e.short))
      text += `\n  a backend below ${Math.round(summary.rateTolerance * 100)}% of the target could not keep up: its latencies include the backlog (coordinated omission corrected), and its throughput is its capacity, not the target`;
  }
  return text;
}

function legend(summary: Summary): string {
  const parts = ['ranked by median'];
  if (summary.reference) {
    parts.push(`×best = times the latency of the fastest backend other than the reference`);
    parts.push(`×${summary.reference} = times ${summary.reference}'s, the reference (below 1: faster than it)`);
  } else parts.push("×best = times the fastest backend's latency");
  if (summary.runs > 1)
    parts.push(
      `each figure is the median over ${summary.runs} runs, (min–max) over runs in brackets; ratios are taken run by run`,
    );
  return parts.join('; ');
}

function textBlock(b: SummaryBlock): string {
  const widths = b.header.map((h, i) => Math.max(h.length, ...b.rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`.trimEnd();
  return [line(b.header), ...b.rows.map(line), ...b.sentences.map((s) => `  ${s}`)].join('\n');
}

/** The summary as terminal text or Markdown; '' when nothing was measured. */
export function renderSummary(summary: Summary, format: SummaryFormat = 'text'): string {
  if (summary.actions.length === 0) return '';
  const blocks = summary.actions.map((a) => block(a, summary.reference));
  const throughput = throughputLine(summary);
  if (format === 'markdown') {
    const escape = (c: string): string => c.replace(/\|/g, '\\|');
    const out = ['## Summary', '', `_${escape(legend(summary))}_`, ''];
    for (const b of blocks) {
      out.push(
        `| ${b.header.map(escape).join(' | ')} |`,
        `|${b.header.map((_, i) => (i === 0 ? ':---' : '---:')).join('|')}|`,
      );
      for (const r of b.rows) out.push(`| ${r.map(escape).join(' | ')} |`);
      out.push('', ...b.sentences.map((s) => `- ${escape(s)}`), '');
    }
    if (throughput) out.push(...throughput.split('\n').map((l) => `- ${escape(l.trim())}`), '');
    return `${out.join('\n')}\n`;
  }
  return `Summary (${legend(summary)})\n\n${blocks.map(textBlock).join('\n\n')}\n${throughput ? `\n${throughput}\n` : ''}`;
}

/** The summary as an HTML section for the top of index.html. */
export function summaryHtml(summary: Summary, escapeHtml: (t: string) => string): string {
  if (summary.actions.length === 0) return '';
  const blocks = summary.actions.map((a) => block(a, summary.reference));
  const tables = blocks
    .map((b) => {
      const head = `<tr>${b.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
      // A figure's range over runs goes under it, small, so the columns stay narrow.
      const cell = (c: string, column: number): string => {
        const range = column > 0 ? / \(([^()]*)\)(\*?)$/.exec(c) : null;
        if (!range) return `<td>${escapeHtml(c)}</td>`;
        return `<td>${escapeHtml(c.slice(0, range.index))}${escapeHtml(range[2]!)}<br><span class="range">${escapeHtml(range[1]!)}</span></td>`;
      };
      const rows = b.rows
        .map((r, i) => `<tr${i === b.best ? ' class="best"' : ''}>${r.map(cell).join('')}</tr>`)
        .join('');
      return `<div class="wide"><table class="summary">${head}${rows}</table></div>\n<ul class="verdicts">${b.sentences.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>`;
    })
    .join('\n');
  const throughput = throughputLine(summary);
  const tp = throughput
    ? `<ul class="throughput">${throughput
        .split('\n')
        .map((l) => `<li>${escapeHtml(l.trim())}</li>`)
        .join('')}</ul>`
    : '';
  return `<section id="summary"><h2>Summary</h2>\n<p class="legend">${escapeHtml(legend(summary))}</p>\n${tables}\n${tp}</section>`;
}
