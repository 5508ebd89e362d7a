import { formatDuration } from '../shared/format-duration.js';
import type { ComparisonReport, ComparisonRow } from './report.js';
import { percent, type FailureRow } from './failures.js';
import { runsNeededPerSide } from './mann-whitney.js';
import type { GateResult } from './thresholds.js';

/**
 * Cell texts shared by the terminal table and the Markdown report, so both
 * always say the same thing about a row.
 */
export const COLUMNS = [
  'backend',
  'action',
  'statistic',
  'base',
  'head',
  'change',
  `CI`,
  'p',
  'detectable',
  'verdict',
] as const;
/** Columns of numbers (aligned right in the table and the Markdown). */
export const NUMBER_COLUMNS: ReadonlySet<number> = new Set([3, 4, 5, 6, 7, 8]);

export function rowCells(report: ComparisonReport, row: ComparisonRow, gate?: GateResult): string[] {
  const failedRules = gate?.failures.filter((f) => f.row === row).map((f) => f.rule.text) ?? [];
  const verdict =
    failedRules.length > 0
      ? `${row.verdict} — FAILS ${failedRules.join(', ')}`
      : row.verdict === 'not judged' && row.note
        ? `not judged (${row.note})`
        : row.verdict;
  return [
    row.backend,
    row.action,
    row.statistic,
    formatValue(report, row, row.base.value),
    formatValue(report, row, row.head.value),
    formatChange(row.ratio),
    row.ci ? `${formatChange(row.ci[0])} … ${formatChange(row.ci[1])}` : '—',
    row.pValue === null ? '—' : formatP(row.pValue),
    formatDetectable(row.detectable),
    verdict,
  ];
}

/** Ratio head/base as a signed percentage: 1.204 → "+20.4%". */
export function formatChange(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  const percent = (ratio - 1) * 100;
  const sign = percent > 0 ? '+' : percent < 0 ? '−' : '±';
  return `${sign}${Math.abs(percent).toFixed(Math.abs(percent) < 10 ? 1 : 0)}%`;
}

/** What a row could have caught: "+4.2%", "none" (nothing up to ×100), or "—" (not judged across runs). */
export function formatDetectable(detectable: number | 'none' | undefined): string {
  if (detectable === undefined) return '—';
  if (detectable === 'none') return 'none';
  return `≥ ${formatChange(1 + detectable)}`;
}

export function formatP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function formatValue(report: ComparisonReport, row: ComparisonRow, value: number): string {
  if (!Number.isFinite(value)) return '—';
  // Normalised figures are ratios to the reference backend, not times.
  if (report.reference !== null)
    return `${value >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3)}× ref`;
  if (row.kind === 'rate') return `${scaled(value, ['', 'k', 'M', 'G'], 1000)} ops/s`;
  return formatDuration(value);
}

function scaled(value: number, units: readonly string[], step: number): string {
  let unit = 0;
  while (value >= step && unit < units.length - 1) {
    value /= step;
    unit++;
  }
  return `${value.toPrecision(3)}${units[unit]}`;
}

/** One line describing the method, for the table header and the Markdown intro. */
export function methodLine(report: ComparisonReport): string {
  const methods: Record<ComparisonReport['mode'], string> = {
    'repeated-runs': `Mann-Whitney U on per-run values (α = ${report.alpha}), ${Math.round(report.confidence * 100)}% bootstrap CI of the ratio of medians (seed ${report.seed})`,
    'paired-runs': `Wilcoxon signed-rank on the pairs' log ratios (α = ${report.alpha}), ${Math.round(report.confidence * 100)}% bootstrap CI of the median pair ratio (seed ${report.seed})`,
    'too-few-runs': 'too few runs for the rank test: medians of per-run values, not judged',
    'single-run': `--judge-within-run: merged histograms, ${Math.round(report.confidence * 100)}% order-statistic intervals (within-run noise only)`,
  };
  const method = methods[report.mode];
  const reference = report.reference === null ? '' : `; normalised to ${report.reference} in the same run`;
  return `scenario ${report.scenario}: ${report.baseRuns} base vs ${report.headRuns} head run(s); ${method}${reference}`;
}

export function gateLine(gate: GateResult | undefined, report: ComparisonReport): string | undefined {
  if (!gate) return undefined;
  if (!gate.failed && gate.unjudged.length > 0) return `gate: NOT JUDGED — ${notJudgedReason(gate, report)}`;
  if (!gate.failed) {
    // A pass says what was not seen, never that there is nothing: name what each rule could have caught.
    const reach = gate.sensitivity.map(
      (s) =>
        `${s.rule} ${s.detectable === 'none' ? 'could not have caught any regression' : `would have caught a regression of ${formatChange(1 + s.detectable)} or more 80% of the time`}`,
    );
    return `gate: passed (no significant regression beyond a --fail-on limit, no rise in failed operations)${reach.length > 0 ? `; with this noise, ${reach.join('; ')}` : ''}`;
  }
  const items = [
    ...gate.failedOperations.map((f) => `${f.backend}/${f.action} failed operations: ${f.failure}`),
    ...gate.failures.map(
      (f) => `${f.row.backend}/${f.row.action}.${f.row.statistic} ${formatChange(f.row.ratio)} (limit ${f.rule.text})`,
    ),
  ];
  const unjudged = distinctRows(gate.unjudged).length;
  return `gate: FAILED — ${items.join('; ')}${unjudged > 0 ? `; ${unjudged} other row(s) named by --fail-on were not judged` : ''}`;
}

/**
 * Why the gate could not pass: which rows its rules name were not judged, why, and what to do. The CLI prints it on
 * stderr too, with exit 2, so a CI log says it without the table.
 */
export function notJudgedReason(gate: GateResult, report: ComparisonReport): string {
  const rows = distinctRows(gate.unjudged);
  const byNote = new Map<string, ComparisonRow[]>();
  for (const row of rows) byNote.set(row.note ?? 'not judged', [...(byNote.get(row.note ?? 'not judged') ?? []), row]);
  const groups = [...byNote].map(([note, group]) => {
    const names = group
      .slice(0, 3)
      .map((r) => `${r.backend}/${r.action}.${r.statistic}`)
      .join(', ');
    return `${names}${group.length > 3 ? ` and ${group.length - 3} more` : ''} (${note})`;
  });
  const needed = runsNeededPerSide(report.alpha);
  const runs = `${report.baseRuns} base and ${report.headRuns} head run(s) given`;
  const advice =
    report.mode === 'too-few-runs'
      ? `${runs}; run each side at least ${needed} times (\`cachebench run --repeat ${Math.max(5, needed)}\`), or add --judge-within-run to judge latency on within-run intervals, which ignore run-to-run noise`
      : rows.some((r) => r.kind === 'rate') && report.mode === 'single-run'
        ? `${runs}; throughput is judged across runs only: run each side at least ${needed} times (\`cachebench run --repeat ${Math.max(5, needed)}\`) or leave throughput out of --fail-on`
        : 'a run without operations cannot be judged; re-run it';
  return `${rows.length} row(s) named by --fail-on could not be judged: ${groups.join('; ')}. ${advice}`;
}

function distinctRows(entries: GateResult['unjudged']): ComparisonRow[] {
  return [...new Set(entries.map((e) => e.row))];
}

/** Lines on failed operations, only for backend × actions where either side had any. */
export function failureLines(report: ComparisonReport): string[] {
  return report.failures
    .filter((f) => f.base.errors + f.base.timeouts + f.head.errors + f.head.timeouts > 0)
    .map((f) => {
      // Two denominators: errors are out of every attempt, timeouts (answers) out of the answered operations.
      const side = (c: FailureRow['base']): string =>
        `errors ${percent(c.errorRate)} (${c.errors} of ${c.count}), timeouts ${percent(c.timeoutRate)} (${c.timeouts} of ${c.answered} answered)`;
      return `${f.backend} ${f.action}: base ${side(f.base)}; head ${side(f.head)}${f.failure ? ` — FAILS: ${f.failure}` : ''}`;
    });
}
