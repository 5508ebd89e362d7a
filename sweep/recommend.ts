/**
 * The recommendation: the best configuration by the objective's median over
 * its repeats, its margin over the engine defaults, and whether that margin
 * is larger than run-to-run noise. Noise is judged with compare's statistics:
 * a seeded bootstrap interval of median(best) / median(defaults) from the
 * per-run values. The margin counts only when the whole interval lies on the
 * better side of 1; otherwise the defaults stay recommended.
 *
 * Why the interval and not the rank test alone: with the 2–3 repeats a quick
 * sweep affords, Mann-Whitney cannot reach p < 0.05 at all (3 v 3 gives at
 * best p = 0.1), while the interval still separates runs that do not overlap.
 * The p-value is reported beside it.
 */
import { bootstrapRatioOfMedians, median } from '../compare/bootstrap.js';
import { mannWhitneyU } from '../compare/mann-whitney.js';
import { seededRandom } from '../scenarios/rng.js';

export interface Candidate {
  index: number;
  label: string;
  /** The objective of each completed repeat. */
  values: readonly number[];
  isDefault: boolean;
}

export interface RecommendOptions {
  /** @default 0.95 */
  confidence?: number;
  /** @default 1 */
  seed?: number;
  /** @default 2000 */
  resamples?: number;
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
  /** median(best) / median(defaults). */
  ratio: number | null;
  /** Improvement as a fraction: 0.25 = 25% lower latency (or 25% more throughput). */
  margin: number | null;
  /** Bootstrap interval of the ratio. */
  ci: [number, number] | null;
  confidence: number;
  /** Two-sided Mann-Whitney p of best vs defaults (informative; see above). */
  pValue: number | null;
  exceedsNoise: boolean;
  /** What to use: best when its margin exceeds the noise, the defaults otherwise. */
  recommended: Pick;
  /** One sentence for the report. */
  verdict: string;
}

export function recommend(candidates: readonly Candidate[], kind: 'latency' | 'rate', options: RecommendOptions = {}, context = ''): Recommendation {
  const confidence = options.confidence ?? 0.95;
  const measured = candidates.filter((c) => c.values.length > 0).map((c) => ({ ...c, median: median(c.values) }));
  if (measured.length === 0) throw new RangeError(`no configuration${context ? ` at ${context}` : ''} has a completed run`);
  const sign = kind === 'latency' ? 1 : -1;
  // Ties go to the defaults, then to grid order: change nothing without a reason.
  const ranked = [...measured].sort((a, b) => sign * (a.median - b.median) || Number(b.isDefault) - Number(a.isDefault) || a.index - b.index);
  const best = ranked[0]!;
  const reference = measured.find((c) => c.isDefault);
  const pick = (c: { index: number; label: string; median: number }): Pick => ({ index: c.index, label: c.label, median: c.median });
  const base = { context, best: pick(best), confidence };
  if (!reference) {
    return { ...base, reference: null, ratio: null, margin: null, ci: null, pValue: null, exceedsNoise: false, recommended: pick(best), verdict: 'the defaults have no completed run, so no margin can be given; the best measured configuration is shown' };
  }
  if (best.index === reference.index) {
    return { ...base, reference: pick(reference), ratio: 1, margin: 0, ci: null, pValue: null, exceedsNoise: false, recommended: pick(reference), verdict: 'the engine defaults are the best measured configuration; keep them' };
  }
  const ratio = best.median / reference.median;
  const margin = kind === 'latency' ? 1 - ratio : ratio - 1;
  const repeated = best.values.length >= 2 && reference.values.length >= 2;
  const ci = repeated
    ? bootstrapRatioOfMedians(reference.values, best.values, { resamples: options.resamples ?? 2000, confidence, random: seededRandom(options.seed ?? 1) })
    : null;
  const pValue = repeated ? mannWhitneyU(best.values, reference.values).p : null;
  const exceedsNoise = ci !== null && Number.isFinite(ci[0]) && (kind === 'latency' ? ci[1] < 1 : ci[0] > 1);
  const percent = `${(margin * 100).toFixed(1)}%`;
  const verdict = !repeated
    ? `${best.label} beats the defaults by ${percent}, but with one run each run-to-run noise cannot be judged (use --repeat 3 or more); keep the defaults`
    : exceedsNoise
      ? `${best.label} beats the defaults by ${percent}, more than run-to-run noise (${Math.round(confidence * 100)}% interval of the ratio ${ci![0].toFixed(3)}–${ci![1].toFixed(3)} excludes 1)`
      : `${best.label} measured ${percent} better than the defaults, within run-to-run noise (${Math.round(confidence * 100)}% interval ${ci![0].toFixed(3)}–${ci![1].toFixed(3)} includes 1); keep the defaults`;
  return { ...base, reference: pick(reference), ratio, margin, ci, pValue, exceedsNoise, recommended: exceedsNoise ? pick(best) : pick(reference), verdict };
}
