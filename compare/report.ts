import type { FailureRow } from './failures.js';
import type { StatisticDefinition, StatisticName } from './statistic.js';

/**
 * The comparison report: what `compare()` returns, what `--json` writes, and
 * what the table and Markdown formatters render. Ratios are head/base of the
 * (optionally reference-normalised) statistic.
 */
export const COMPARE_SCHEMA = 'cachebench/compare';
export const COMPARE_VERSION = 1;

export type Verdict = 'faster' | 'slower' | 'no significant change' | 'not judged';

/**
 * `repeated-runs`: Mann-Whitney U on the per-run statistic, bootstrap CI of the ratio of medians.
 * `paired-runs`: base and head runs paired by seed (interleaved): Wilcoxon signed-rank on the pairs' log
 * ratios, bootstrap CI of their median.
 * `too-few-runs`: the rank test cannot reach alpha; figures and ratios only, every row "not judged".
 * `single-run`: too few runs, and the user asked for `--judge-within-run`: merged histograms per side,
 * order-statistic intervals (within-run noise only).
 */
export type CompareMode = 'repeated-runs' | 'paired-runs' | 'too-few-runs' | 'single-run';

export interface SideFigures {
  runs: number;
  /** Median of the per-run values (repeated or too few runs) or the merged-histogram value (single run). */
  value: number;
  /** Per-run values, in input order (not in single-run mode). */
  values?: number[];
}

export interface ComparisonRow {
  backend: string;
  action: string;
  statistic: StatisticName;
  kind: StatisticDefinition['kind'];
  /** Nanoseconds or ops/s; unitless ratios to the reference when one was given. */
  base: SideFigures;
  head: SideFigures;
  /** head / base. */
  ratio: number;
  /** Confidence interval of the ratio, or null when none can be computed. */
  ci: [number, number] | null;
  /** Two-sided p-value of the rank test (repeated runs only). */
  pValue: number | null;
  verdict: Verdict;
  /** How much worse head is (fraction; negative = better), from the point ratio. */
  regression: number;
  /**
   * The figure `--fail-on` thresholds are checked against: the point
   * regression with repeated runs; the conservative CI bound in single-run
   * mode, so that one noisy pair of runs needs a larger change to fail; 0 for
   * a row that is not judged.
   */
  gateRegression: number;
  /** Why a row is "not judged" (short: the table shows it beside the verdict). */
  note?: string;
  /**
   * The smallest regression (fraction, 0.05 = +5%) this row's test would have caught 80% of the time, given
   * the run-to-run noise it showed (compare/detectable-regression.ts); `'none'` when no regression up to ×100
   * would have been; absent where per-run values are not what is judged (within-run or not-judged rows).
   */
  detectable?: number | 'none';
}

export interface ComparisonReport {
  schema: typeof COMPARE_SCHEMA;
  version: typeof COMPARE_VERSION;
  scenario: string;
  mode: CompareMode;
  reference: string | null;
  baseRuns: number;
  headRuns: number;
  alpha: number;
  /** Level of the confidence intervals, 1 − alpha. */
  confidence: number;
  seed: number;
  resamples: number;
  /** Caveats a reader must see (single run, too few repeats, …). */
  notes: string[];
  rows: ComparisonRow[];
  /** Errors and timeouts per backend × action, both sides; a row with `failure` fails any gate (see failures.ts). */
  failures: FailureRow[];
}
