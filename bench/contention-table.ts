/**
 * The tables bench:contention prints for one process count: set and get
 * p50/p99/p99.9 per backend (median over rounds), the diskcache ÷ ours
 * ratios taken within each round, and the per-run figures the backends and
 * workers recorded (lock waits, checkpoints, context switches).
 */
import type { BackendResult } from '../results/results.js';

export interface RoundFigures {
  /** Backend labels in the order the user gave them. */
  labels: string[];
  /** One map per round, label → that round's result. */
  rounds: Map<string, BackendResult>[];
}

/** Which python-diskcache backend a backend of ours is compared with. */
const ORIGINAL_OF: Record<string, string> = {
  sqlite: 'py-diskcache',
  'sqlite-raw': 'py-diskcache',
  fanout: 'py-fanout',
};
const PERCENTILES = [
  ['p50', 'p50'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
] as const;

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const us = (ns: number): string => (ns / 1000).toFixed(ns < 100_000 ? 1 : 0);
const completed = (result: BackendResult | undefined): result is BackendResult =>
  result?.status === 'completed' || result?.status === 'partial';

/** The original a label is compared with: the first label of that backend name in the run. */
function originalLabel(label: string, figures: RoundFigures): string | undefined {
  const name = firstResult(label, figures)?.name;
  const original = name === undefined ? undefined : ORIGINAL_OF[name];
  return original === undefined
    ? undefined
    : figures.labels.find((other) => firstResult(other, figures)?.name === original);
}

function firstResult(label: string, figures: RoundFigures): BackendResult | undefined {
  for (const round of figures.rounds) {
    const result = round.get(label);
    if (result) return result;
  }
  return undefined;
}

/** Within each round where both completed: original's percentile ÷ ours. */
function ratios(
  label: string,
  original: string,
  action: string,
  percentile: (typeof PERCENTILES)[number][0],
  figures: RoundFigures,
): number[] {
  const out: number[] = [];
  for (const round of figures.rounds) {
    const ours = round.get(label);
    const theirs = round.get(original);
    if (!completed(ours) || !completed(theirs)) continue;
    const a = ours.actions[action]?.percentiles[percentile];
    const b = theirs.actions[action]?.percentiles[percentile];
    if (a !== undefined && b !== undefined && a > 0) out.push(b / a);
  }
  return out;
}

export function contentionTable(procs: number, figures: RoundFigures): string[] {
  const lines = [`${procs} processes`];
  const width = Math.max(12, ...figures.labels.map((l) => l.length + 2)) + 2;
  const head = ['set', 'get'].flatMap((action) => PERCENTILES.map(([, name]) => `${action} ${name}`.padStart(11)));
  lines.push(`  ${'backend'.padEnd(width)}${head.join('')}   (µs)`);
  for (const label of figures.labels) {
    const results = figures.rounds.map((round) => round.get(label)).filter(completed);
    if (results.length === 0) {
      const any = firstResult(label, figures);
      lines.push(`  ${label.padEnd(width)}${any ? `${any.status}: ${any.message ?? ''}` : 'missing'}`);
      continue;
    }
    const cells = ['set', 'get'].flatMap((action) =>
      PERCENTILES.map(([key]) => {
        const values = results
          .map((r) => r.actions[action]?.percentiles[key])
          .filter((v): v is number => v !== undefined);
        return (values.length === 0 ? '—' : us(median(values))).padStart(11);
      }),
    );
    const short =
      results.length < figures.rounds.length ? `  (${results.length}/${figures.rounds.length} rounds completed)` : '';
    lines.push(`  ${label.padEnd(width)}${cells.join('')}${short}`);
  }
  lines.push('  diskcache ÷ ours, within a round: median, then (lowest–highest) over rounds');
  for (const label of figures.labels) {
    const original = originalLabel(label, figures);
    if (original === undefined) continue;
    const cells = ['set', 'get'].flatMap((action) =>
      PERCENTILES.map(([key]) => ratios(label, original, action, key, figures)),
    );
    const text = (rs: number[]) => (rs.length === 0 ? '—' : `${median(rs).toFixed(2)}×`).padStart(11);
    const range = (rs: number[]) =>
      (rs.length === 0 ? '' : `${Math.min(...rs).toFixed(1)}–${Math.max(...rs).toFixed(1)}`).padStart(11);
    lines.push(`  ${`÷ ${label}`.padEnd(width)}${cells.map(text).join('')}   ${original} ÷ ${label}`);
    lines.push(`  ${''.padEnd(width)}${cells.map(range).join('')}`);
  }
  const why = metricLines(figures, width);
  if (why.length > 0) lines.push('  recorded per run (median over rounds):', ...why);
  return lines;
}

/** Numeric run metrics (engine write-path counters, workers' context switches), median over rounds. */
function metricLines(figures: RoundFigures, width: number): string[] {
  const lines: string[] = [];
  for (const label of figures.labels) {
    const results = figures.rounds.map((round) => round.get(label)).filter(completed);
    const keys = [...new Set(results.flatMap((r) => Object.keys(r.metrics ?? {})))].sort();
    const parts: string[] = [];
    for (const key of keys) {
      const values = results.map((r) => r.metrics?.[key]).filter((v): v is number => typeof v === 'number');
      if (values.length > 0) parts.push(`${key} ${formatMetric(key, median(values))}`);
    }
    if (parts.length > 0) lines.push(`    ${label.padEnd(width)}${parts.join(', ')}`);
  }
  return lines;
}

const formatMetric = (key: string, value: number): string =>
  key.endsWith('Ns') ? `${(value / 1e6).toFixed(1)} ms` : Math.round(value).toLocaleString('en-US');
