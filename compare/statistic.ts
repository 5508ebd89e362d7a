import type { ActionResult } from '../results/results.js';

/**
 * The statistics compare reports, each with how to read it from one run's
 * action result and which direction is worse. Percentiles come from the
 * per-run `percentiles` the harness computed from the run's own histogram;
 * percentiles are never averaged across runs, only compared run by run.
 */
export type StatisticName = 'median' | 'p90' | 'p99' | 'p99.9' | 'throughput';

export interface StatisticDefinition {
  name: StatisticName;
  /** `latency`: higher is worse (ns). `rate`: lower is worse (ops/s). */
  kind: 'latency' | 'rate';
  /** The percentile (0–100) for latency statistics; used by the single-run interval. */
  percentile?: number;
  read(action: ActionResult): number;
}

export const STATISTICS: readonly StatisticDefinition[] = [
  { name: 'median', kind: 'latency', percentile: 50, read: (a) => a.percentiles.p50 },
  { name: 'p90', kind: 'latency', percentile: 90, read: (a) => a.percentiles.p90 },
  { name: 'p99', kind: 'latency', percentile: 99, read: (a) => a.percentiles.p99 },
  { name: 'p99.9', kind: 'latency', percentile: 99.9, read: (a) => a.percentiles.p999 },
  { name: 'throughput', kind: 'rate', read: (a) => a.throughput },
];

/** Names users may type in `--fail-on` and `--stats`, mapped to the canonical name. */
const ALIASES: Record<string, StatisticName> = {
  median: 'median',
  p50: 'median',
  p90: 'p90',
  p99: 'p99',
  'p99.9': 'p99.9',
  p999: 'p99.9',
  throughput: 'throughput',
  ops: 'throughput',
};

export function statisticByName(text: string): StatisticDefinition | undefined {
  const name = ALIASES[text.toLowerCase()];
  return name === undefined ? undefined : STATISTICS.find((s) => s.name === name);
}

/**
 * The action of the one throughput row per backend. Every action's
 * throughput is its count over the same measured seconds, so per action they
 * all move by the same factor (the run's duration); a row per action would
 * count one change several times. The backend's throughput is the sum: every
 * timed operation over the measured seconds.
 */
export const ALL_ACTIONS = 'all';

/** Operations per second of all the given actions of one backend in one run. */
export function totalThroughput(actions: Record<string, ActionResult>, names: readonly string[]): number {
  return names.reduce((sum, name) => sum + (actions[name]?.throughput ?? 0), 0);
}

export const STATISTIC_NAMES_HELP = 'median (p50), p90, p99, p99.9 (p999), throughput';

/**
 * How much worse head is than base, as a fraction: +0.2 means 20% worse.
 * Latency: head/base − 1. Throughput: 1 − head/base (a drop from 1000 to 800 ops/s is 20% worse).
 */
export function regressionOf(kind: StatisticDefinition['kind'], ratio: number): number {
  return kind === 'latency' ? ratio - 1 : 1 - ratio;
}
