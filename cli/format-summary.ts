import type { ResultsFile } from '../results/results.js';

/** Latency in the unit that keeps 3–4 significant figures: ns, µs, ms or s (the live progress line). */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

/**
 * The line above the tables after a run. The tables themselves come from
 * reports/render-table.ts, the same ones the report writes to tables.txt.
 */
export function runHeader(results: ResultsFile): string {
  const { run } = results;
  const load = run.loadModel === 'open' ? `open loop at ${run.rate} ops/s` : 'closed loop';
  const size = run.ops === null ? `${run.durationSeconds} s` : `${run.ops.toLocaleString('en-US')} ops`;
  return `${results.scenario.name}: ${run.procs} processes × ${size} (+${run.warmupOps} warm-up), ${load}, seed ${run.seed}`;
}
