import type { Random } from '../shared/rng.js';

/**
 * Percentile-bootstrap confidence interval for median(head) / median(base),
 * resampling the per-run values of each side independently. Seeded, so the
 * same inputs always give the same interval.
 *
 * With five runs a side the bootstrap median can take only a handful of
 * values, so the interval is coarse; it describes the size of the change,
 * while the verdict comes from the rank test.
 */
export function bootstrapRatioOfMedians(
  base: readonly number[],
  head: readonly number[],
  options: { resamples: number; confidence: number; random: Random },
): [number, number] {
  const ratios: number[] = [];
  const baseSample = new Array<number>(base.length);
  const headSample = new Array<number>(head.length);
  for (let i = 0; i < options.resamples; i++) {
    for (let j = 0; j < base.length; j++) baseSample[j] = base[Math.floor(options.random() * base.length)];
    for (let j = 0; j < head.length; j++) headSample[j] = head[Math.floor(options.random() * head.length)];
    const denominator = median(baseSample);
    if (denominator > 0) ratios.push(median(headSample) / denominator);
  }
  if (ratios.length === 0) return [Number.NaN, Number.NaN];
  ratios.sort((a, b) => a - b);
  const tail = (1 - options.confidence) / 2;
  return [quantileSorted(ratios, tail), quantileSorted(ratios, 1 - tail)];
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return quantileSorted(sorted, 0.5);
}

/** Linear interpolation between closest ranks (type 7, as R and NumPy default). */
function quantileSorted(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}
