/**
 * The recommendation: the best configuration by the objective's median over
 * its repeats, its margin over the engine defaults, and whether that margin
 * is larger than run-to-run noise.
 *
 * Picking the best of k configurations and then testing only it against the
 * defaults is a test of k − 1 hypotheses at once: with identical
 * configurations the luckiest one "wins" far more often than 5% of the time
 * (measured: 17.8% for the quick grid's 12 × 3). So the judgement comes from
 * one of two places:
 *   - a confirmation round (the sweep's default): fresh runs of the best and
 *     the defaults only, after the pick. Those runs know nothing of the
 *     selection, so one test at the plain level is valid;
 *   - without one, the grid's own repeats with a Bonferroni correction: the
 *     test and the interval are at level α / (k − 1).
 * The plain level is one-sided α/2 = 2.5% (what "the 95% interval excludes
 * 1" meant before), so a change is recommended wrongly in at most ~2.5% of
 * sweeps over identical configurations (measured ~1.7% with 6 + 6 runs).
 * The test is a one-sided exact Mann-Whitney U, the tail of the permutation
 * distribution given the ties (valid at any sample size, unlike a percentile
 * bootstrap of 3 values; matched against scipy.stats.permutation_test in
 * test/sweep/recommend-scipy.test.ts); the bootstrap interval of the
 * ratio of medians, at the same corrected level, is shown for the size of
 * the change, as compare does. With 3 repeats a grid-only judgement can never
 * pass the corrected level (3 v 3 gives at best one-sided p = 0.05), which
 * is the honest answer: confirm, or repeat more.
 */
import { bootstrapRatioOfMedians, median } from '../compare/bootstrap.js';
import { mannWhitneyU } from '../compare/mann-whitney.js';
import { seededRandom } from '../shared/rng.js';

export interface Candidate {
  index: number;
  label: string;
  /** The objective of each completed repeat. */
  values: readonly number[];
  isDefault: boolean;
}

/** Fresh runs of the grid's best and of the defaults, made after the pick. */
export interface Confirmation {
  /** Which candidate was confirmed; ignored when it is not the best of the grid. */
  index: number;
  best: readonly number[];
  reference: readonly number[];
}

export interface RecommendOptions {
  /** 1 − α: a change is recommended when the (corrected) two-sided interval at this level would exclude 1, tested one-sided at α/2 with the exact rank test. @default 0.95 */
  confidence?: number;
  /** @default 1 */
  seed?: number;
  /** @default 2000 */
  resamples?: number;
  confirmation?: Confirmation;
}

export interface Pick {
  index: number;
  label: string;
  median: number;
}

export interface Recommendation {
  /** Which runs competed, e.g. `procs=4`; empty when the grid has no procs axis. */
  context: string;
  /** Best measured configuration. */
  best: Pick;
  /** The engine defaults. */
  reference: Pick | null;
  /** median(best) / median(defaults), over the runs the judgement used (`basis`). */
  ratio: number | null;
  /** Improvement as a fraction: 0.25 = 25% lower latency (or 25% more throughput). */
  margin: number | null;
  /** Bootstrap interval of the ratio, at `confidence`. */
  ci: [number, number] | null;
  /** Level of the two-sided interval after the correction, 1 − α / comparisons; the one-sided test is at (1 − confidence) / 2. */
  confidence: number;
  /** Hypotheses the judgement pays for: 1 with a confirmation round, else the configurations beside the defaults. */
  comparisons: number;
  /** Where the judgement's runs come from. */
  basis: 'confirmation' | 'grid';
  /** Runs per side of the judgement (best, defaults). */
  runs: [number, number] | null;
  /** One-sided exact Mann-Whitney p that best is better than the defaults. */
  pValue: number | null;
  exceedsNoise: boolean;
  /** What to use: best when its margin exceeds the noise, the defaults otherwise. */
  recommended: Pick;
  /** One sentence for the report. */
  verdict: string;
}

export function recommend(
  candidates: readonly Candidate[],
  kind: 'latency' | 'rate',
  options: RecommendOptions = {},
  context = '',
): Recommendation {
  const alpha = 1 - (options.confidence ?? 0.95);
  if (!(alpha > 0 && alpha < 0.5)) throw new RangeError(`confidence ${options.confidence} must be between 0.5 and 1`);
  const measured = candidates.filter((c) => c.values.length > 0).map((c) => ({ ...c, median: median(c.values) }));
  if (measured.length === 0)
    throw new RangeError(`no configuration${context ? ` at ${context}` : ''} has a completed run`);
  const sign = kind === 'latency' ? 1 : -1;
  // Ties go to the defaults, then to grid order: change nothing without a reason.
  const ranked = [...measured].sort(
    (a, b) => sign * (a.median - b.median) || Number(b.isDefault) - Number(a.isDefault) || a.index - b.index,
  );
  const best = ranked[0]!;
  const reference = measured.find((c) => c.isDefault);
  const pick = (c: { index: number; label: string; median: number }): Pick => ({
    index: c.index,
    label: c.label,
    median: c.median,
  });
  const rivals = Math.max(1, measured.filter((c) => !c.isDefault).length);
  const none = { ratio: null, margin: null, ci: null, pValue: null, runs: null, exceedsNoise: false };
  if (!reference) {
    return {
      context,
      best: pick(best),
      confidence: 1 - alpha,
      comparisons: rivals,
      basis: 'grid',
      reference: null,
      ...none,
      recommended: pick(best),
      verdict:
        'the defaults have no completed run, so no margin can be given; the best measured configuration is shown',
    };
  }
  if (best.index === reference.index) {
    return {
      context,
      best: pick(best),
      confidence: 1 - alpha,
      comparisons: rivals,
      basis: 'grid',
      reference: pick(reference),
      ...none,
      ratio: 1,
      margin: 0,
      recommended: pick(reference),
      verdict: 'the engine defaults are the best measured configuration; keep them',
    };
  }
  const confirmation = options.confirmation?.index === best.index ? options.confirmation : undefined;
  const basis: Recommendation['basis'] = confirmation ? 'confirmation' : 'grid';
  const comparisons = confirmation ? 1 : rivals;
  // One-sided level: α/2 is what "the two-sided 1 − α interval excludes 1" always meant here; Bonferroni divides it.
  const level = alpha / 2 / comparisons;
  const bestValues = confirmation ? confirmation.best : best.values;
  const referenceValues = confirmation ? confirmation.reference : reference.values;
  const ratio = median(bestValues) / median(referenceValues);
  const margin = kind === 'latency' ? 1 - ratio : ratio - 1;
  const repeated = bestValues.length >= 2 && referenceValues.length >= 2;
  const base = {
    context,
    best: pick(best),
    reference: pick(reference),
    confidence: 1 - 2 * level,
    comparisons,
    basis,
    runs: [bestValues.length, referenceValues.length] as [number, number],
  };
  const percent = `${(margin * 100).toFixed(1)}%`;
  // A confirmation round can reverse the grid: then the best measured worse than the defaults, and must not be called "better".
  const measuredText = `measured ${versusDefaults(margin, kind)}${basis === 'confirmation' && margin < 0 ? ' in the confirmation round, though the grid ranked it best' : ''}`;
  if (!repeated) {
    const verdict = `${best.label} ${measuredText}; with one run each, run-to-run noise cannot be judged (use --repeat 3 or more); keep the defaults`;
    return {
      ...base,
      ratio,
      margin,
      ci: null,
      pValue: null,
      exceedsNoise: false,
      recommended: pick(reference),
      verdict,
    };
  }
  // The interval shows the size of the change; the rank test decides (as in compare): a
  // percentile bootstrap of 3–5 medians is too coarse to be a test, the exact rank test is valid at any size.
  const ci = bootstrapRatioOfMedians(referenceValues, bestValues, {
    resamples: options.resamples ?? 2000,
    confidence: 1 - 2 * level,
    random: seededRandom(options.seed ?? 1),
  });
  const pValue = oneSidedBetterP(bestValues, referenceValues, kind);
  const exceedsNoise = pValue <= level && margin > 0;
  const how =
    basis === 'confirmation'
      ? `${exceedsNoise ? 'confirmed by' : 'judged on'} ${bestValues.length} + ${referenceValues.length} fresh runs`
      : `judged on the grid's repeats, corrected for ${comparisons} comparisons`;
  const interval = `${formatLevel(1 - 2 * level)} interval of the ratio ${ci[0].toFixed(3)}–${ci[1].toFixed(3)}`;
  const verdict = exceedsNoise
    ? `${best.label} beats the defaults by ${percent}, more than run-to-run noise (${how}; ${interval}, one-sided p = ${formatP(pValue)} ≤ ${formatP(level)})`
    : `${best.label} ${measuredText}${margin >= 0 ? ', within run-to-run noise' : ''} (${how}; ${interval}, one-sided p = ${formatP(pValue)}, needed ≤ ${formatP(level)}); keep the defaults${basis === 'grid' && margin >= 0 ? advice(best.values.length, level) : ''}`;
  return {
    ...base,
    ratio,
    margin,
    ci,
    pValue,
    exceedsNoise,
    recommended: exceedsNoise ? pick(best) : pick(reference),
    verdict,
  };
}

/**
 * One-sided rank-test p that `best` is better (lower latency / higher rate)
 * than `reference`: the tail of the exact permutation distribution given the
 * ties, as scipy.stats.permutation_test gives it (compare/mann-whitney.ts).
 * Half the two-sided p is not that tail when values tie: the conditional
 * distribution is then not symmetric, and halving understated the p.
 */
export function oneSidedBetterP(
  best: readonly number[],
  reference: readonly number[],
  kind: 'latency' | 'rate',
): number {
  return mannWhitneyU(best, reference, kind === 'latency' ? 'less' : 'greater').p;
}

/** `12.0% better than the defaults`, or for a negative margin `78.1% slower` (latency) / `78.1% less throughput` (rate). */
export function versusDefaults(margin: number, kind: 'latency' | 'rate'): string {
  const size = `${(Math.abs(margin) * 100).toFixed(1)}%`;
  if (margin >= 0) return `${size} better than the defaults`;
  return kind === 'latency' ? `${size} slower than the defaults` : `${size} less throughput than the defaults`;
}

function advice(repeats: number, level: number): string {
  return repeats <= 3 || level < 0.01 ? ' (a confirmation round, --confirm 6, or more repeats can settle it)' : '';
}

function formatLevel(confidence: number): string {
  const percent = confidence * 100;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(percent > 99.9 ? 2 : 1)}%`;
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}
