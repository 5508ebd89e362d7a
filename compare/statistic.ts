import { decodeHistogram, type Histogram } from '../results/histogram.js';
import type { ActionResult } from '../results/results.js';

/**
 * The statistics compare reports, each with how to read it from one run's
 * action result and which direction is worse. Percentiles come from the
 * per-run `percentiles` the harness computed from the run's own histogram;
 * percentiles are never averaged across runs, only compared run by run.
 * Any other percentile (`p95`, `p99.99`) is read from the run's histogram.
 */
export type StatisticName = 'median' | `p${number}` | 'throughput';

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
  if (name !== undefined) return STATISTICS.find((s) => s.name === name);
  const percentile = percentileOfName(text);
  return percentile === undefined ? undefined : histogramPercentile(percentile);
}

/**
 * `p95` → 95, `p99.99` → 99.99, and the run-together nines `p9999` → 99.99
 * (as `p999` is 99.9); undefined unless strictly between 0 and 100.
 */
export function percentileOfName(text: string): number | undefined {
  const match = /^p(\d+(?:\.\d+)?)$/i.exec(text.trim());
  if (!match) return undefined;
  const digits = match[1]!;
  const value = /^9{3,}$/.test(digits) ? Number(`99.${digits.slice(2)}`) : Number(digits);
  return value > 0 && value < 100 ? value : undefined;
}

/** Decoded once per results object: compare reads several percentiles of each run. */
const decoded = new WeakMap<ActionResult, Histogram>();

function histogramPercentile(percentile: number): StatisticDefinition {
  return {
    name: `p${percentile}`,
    kind: 'latency',
    percentile,
    read: (action) => {
      let histogram = decoded.get(action);
      if (!histogram) decoded.set(action, (histogram = decodeHistogram(action.histogram)));
      return histogram.getValueAtPercentile(percentile);
    },
  };
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

export const STATISTIC_NAMES_HELP =
  'median (p50), p90, p99, p99.9 (p999), any other percentile as pNN (p95, p99.99), throughput';

/** Statistics in report order: latencies by percentile, then throughput. */
export function statisticsInOrder(names: readonly StatisticName[]): StatisticDefinition[] {
  const found = [...new Set(names)]
    .map((name) => statisticByName(name))
    .filter((s): s is StatisticDefinition => s !== undefined);
  const unique = [...new Map(found.map((s) => [s.name, s])).values()];
  return unique.sort((a, b) => (a.percentile ?? 101) - (b.percentile ?? 101));
}

/**
 * How much worse head is than base, as a fraction: +0.2 means 20% worse.
 * Latency: head/base − 1. Throughput: 1 − head/base (a drop from 1000 to 800 ops/s is 20% worse).
 */
export function regressionOf(kind: StatisticDefinition['kind'], ratio: number): number {
  return kind === 'latency' ? ratio - 1 : 1 - ratio;
}
