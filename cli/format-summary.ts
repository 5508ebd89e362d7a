import type { ResultsFile } from '../results/results.js';
import { plural } from '../shared/plural.js';

/**
 * The line above the tables after a run. The tables themselves come from
 * reports/render-table.ts, the same ones the report writes to tables.txt.
 */
export function runHeader(results: ResultsFile): string {
  const { run } = results;
  const load = run.loadModel === 'open' ? `open loop at ${run.rate} ops/s` : 'closed loop';
  const size = run.ops === null ? `${run.durationSeconds} s` : plural(run.ops, 'op', 'ops');
  return `${results.scenario.name}: ${plural(run.procs, 'process', 'processes')} × ${size} (+${run.warmupOps.toLocaleString('en-US')} warm-up), ${load}, seed ${run.seed}`;
}
