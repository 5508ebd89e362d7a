import type { ComparisonReport, ComparisonRow } from './report.js';
import { percent, type FailureRow } from './failures.js';
import type { GateResult } from './thresholds.js';

/**
 * Cell texts shared by the terminal table and the Markdown report, so both
 * always say the same thing about a row.
 */
export const COLUMNS = ['backend', 'action', 'statistic', 'base', 'head', 'change', `CI`, 'p', 'verdict'] as const;

export function rowCells(report: ComparisonReport, row: ComparisonRow, gate?: GateResult): string[] {
  const failedRules = gate?.failures.filter((f) => f.row === row).map((f) => f.rule.text) ?? [];
  const verdict = failedRules.length > 0
    ? `${row.verdict} — FAILS ${failedRules.join(', ')}`
    : row.verdict === 'not judged' && row.note ? `not judged (${row.note})` : row.verdict;
  return [
    row.backend,
    row.action,
    row.statistic,
    formatValue(report, row, row.base.value),
    formatValue(report, row, row.head.value),
    formatChange(row.ratio),
    row.ci ? `${formatChange(row.ci[0])} … ${formatChange(row.ci[1])}` : '—',
    row.pValue === null ? '—' : formatP(row.pValue),
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

export function formatP(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

function formatValue(report: ComparisonReport, row: ComparisonRow, value: number): string {
  if (!Number.isFinite(value)) return '—';
  // Normalised figures are ratios to the reference backend, not times.
  if (report.reference !== null) return `${value >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3)}× ref`;
  if (row.kind === 'rate') return `${scaled(value, ['', 'k', 'M', 'G'], 1000)} ops/s`;
  return formatNanoseconds(value);
}

export function formatNanoseconds(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toPrecision(3)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toPrecision(3)} ms`;
  return `${(ns / 1_000_000_000).toPrecision(3)} s`;
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
    'too-few-runs': 'too few runs for the rank test: medians of per-run values, not judged',
    'single-run': `--judge-within-run: merged histograms, ${Math.round(report.confidence * 100)}% order-statistic intervals (within-run noise only)`,
  };
  const method = methods[report.mode];
  const reference = report.reference === null ? '' : `; normalised to ${report.reference} in the same run`;
  return `scenario ${report.scenario}: ${report.baseRuns} base vs ${report.headRuns} head run(s); ${method}${reference}`;
}

export function gateLine(gate: GateResult | undefined, report: ComparisonReport): string | undefined {
  if (!gate) return undefined;
  if (!gate.failed && report.mode === 'too-few-runs') {
    // Not a plain "passed": nothing but failed operations was checked, and the reader must not think otherwise.
    return `gate: passed on failed operations only — latency and throughput not judged with ${report.baseRuns} base and ${report.headRuns} head run(s) (see the note)`;
  }
  if (!gate.failed) return 'gate: passed (no significant regression beyond a --fail-on limit, no rise in failed operations)';
  const items = [
    ...gate.failedOperations.map((f) => `${f.backend}/${f.action} failed operations: ${f.failure}`),
    ...gate.failures.map((f) => `${f.row.backend}/${f.row.action}.${f.row.statistic} ${formatChange(f.row.ratio)} (limit ${f.rule.text})`),
  ];
  return `gate: FAILED — ${items.join('; ')}`;
}

/** Lines on failed operations, only for backend × actions where either side had any. */
export function failureLines(report: ComparisonReport): string[] {
  return report.failures
    .filter((f) => f.base.errors + f.base.timeouts + f.head.errors + f.head.timeouts > 0)
    .map((f) => {
      // Two denominators: errors are out of every attempt, timeouts (answers) out of the answered operations.
      const side = (c: FailureRow['base']): string => `errors ${percent(c.errorRate)} (${c.errors} of ${c.count}), timeouts ${percent(c.timeoutRate)} (${c.timeouts} of ${c.answered} answered)`;
      return `${f.backend} ${f.action}: base ${side(f.base)}; head ${side(f.head)}${f.failure ? ` — FAILS: ${f.failure}` : ''}`;
    });
}
