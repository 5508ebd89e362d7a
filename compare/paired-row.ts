/**
 * One comparison row from paired runs: base run i and head run i replayed the
 * same seed, back to back (compare --base-checkout/--head-checkout, or two
 * `--repeat` series with the same --seed). The evidence is each pair's log
 * ratio log(head_i / base_i): a slow phase of the machine that hit both
 * members of a pair cancels in it.
 *
 * - change: exp(median of the pair log ratios), the typical pair's ratio;
 * - CI: percentile bootstrap of that median over pairs (seeded);
 * - p: exact two-sided Wilcoxon signed-rank test on the log ratios (signed-rank.ts);
 * - detectable: the regression this row would have caught 80% of the time,
 *   simulated from its own pair differences (detectable-regression.ts).
 */
import { median } from './bootstrap.js';
import { detectablePairedRegression } from './detectable-regression.js';
import { minimumOneSidedP, signedRankTest } from './signed-rank.js';
import type { Random } from '../shared/rng.js';
import { regressionOf, type StatisticDefinition } from './statistic.js';

export interface PairedFigures {
  /** exp(median log(head/base)). */
  ratio: number;
  ci: [number, number];
  pValue: number;
  verdict: 'slower' | 'faster' | 'no significant change';
  /** How much worse head is (fraction), from `ratio`. */
  regression: number;
  /** The smallest regression caught with 80% probability at alpha, from these pairs' noise; Infinity when none. */
  detectable: number;
}

export interface PairedOptions {
  alpha: number;
  resamples: number;
  /** Bootstrap and simulation draws, one stream per row. */
  random: Random;
}

/** The fewest pairs for which the two-sided signed-rank test can reach alpha (6 at 0.05). */
export function pairsNeededTwoSided(alpha: number): number {
  let n = 1;
  while (2 * minimumOneSidedP(n) > alpha) n++;
  return n;
}

export function pairedFigures(
  baseValues: readonly number[],
  headValues: readonly number[],
  kind: StatisticDefinition['kind'],
  options: PairedOptions,
): PairedFigures {
  if (baseValues.length !== headValues.length)
    throw new RangeError('paired figures need as many head values as base values');
  const logRatios = headValues.map((h, i) => Math.log(h / baseValues[i]!));
  const ratio = Math.exp(median(logRatios));
  const test = signedRankTest(logRatios, 'two-sided');
  const headHigher = test.wPlus > (test.n * (test.n + 1)) / 4;
  const verdict =
    test.p >= options.alpha || test.n === 0
      ? 'no significant change'
      : headHigher === (kind === 'latency')
        ? 'slower'
        : 'faster';
  // Oriented so that positive is worse, as the simulation expects.
  const worse = kind === 'latency' ? logRatios : logRatios.map((d) => -d);
  return {
    ratio,
    ci: bootstrapMedianRatio(logRatios, options),
    pValue: test.p,
    verdict,
    regression: regressionOf(kind, ratio),
    detectable: detectablePairedRegression(worse, { alpha: options.alpha, random: options.random }),
  };
}

function bootstrapMedianRatio(logRatios: readonly number[], options: PairedOptions): [number, number] {
  const n = logRatios.length;
  const sample = new Array<number>(n);
  const medians = new Array<number>(options.resamples);
  for (let r = 0; r < options.resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = logRatios[Math.floor(options.random() * n)]!;
    medians[r] = median(sample);
  }
  medians.sort((a, b) => a - b);
  const tail = options.alpha / 2;
  const at = (q: number): number =>
    medians[Math.min(n === 0 ? 0 : medians.length - 1, Math.max(0, Math.floor(q * (medians.length - 1))))]!;
  return [Math.exp(at(tail)), Math.exp(at(1 - tail))];
}
