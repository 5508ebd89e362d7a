import type { BackendResult, ResultsFile } from '../harness/results.js';

/** Latency in the unit that keeps 3–4 significant figures: ns, µs, ms or s. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

const HEADERS = ['Action', 'Count', 'Miss', 'Median', 'P90', 'P99', 'Max'];

/** The compact per-backend table printed after a run (python-diskcache's columns). */
export function formatBackendTable(backend: BackendResult): string {
  const heading = `${backend.label}  [${backend.status}]${backend.message ? `  ${backend.message}` : ''}`;
  const rows = Object.entries(backend.actions).map(([action, a]) => [
    action,
    a.count.toLocaleString('en-US'),
    a.misses.toLocaleString('en-US'),
    formatNs(a.percentiles.p50),
    formatNs(a.percentiles.p90),
    formatNs(a.percentiles.p99),
    formatNs(a.percentiles.max),
  ]);
  if (rows.length === 0) return heading;
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [heading, line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const failures = Object.entries(backend.actions).filter(([, a]) => a.timeouts + a.errors > 0);
  for (const [action, a] of failures) {
    out.push(`  ${action}: ${a.timeouts} timeouts, ${a.errors} errors${a.errorMessages.length ? ` (${a.errorMessages.join('; ')})` : ''}`);
  }
  if (backend.metrics) out.push(`  ${Object.entries(backend.metrics).map(([k, v]) => `${k}=${v}`).join('  ')}`);
  return out.join('\n');
}

export function formatSummary(results: ResultsFile): string {
  const { run } = results;
  const load = run.loadModel === 'open' ? `open loop at ${run.rate} ops/s` : 'closed loop';
  const size = run.ops === null ? `${run.durationSeconds} s` : `${run.ops.toLocaleString('en-US')} ops`;
  const header = `${results.scenario.name}: ${run.procs} processes × ${size} (+${run.warmupOps} warm-up), ${load}, seed ${run.seed}`;
  return [header, '', ...results.backends.map(formatBackendTable).flatMap((t) => [t, ''])].join('\n');
}
