/**
 * When a percentile rests on too few samples to be read as a figure: fewer
 * than MIN_TAIL_SAMPLES operations lie beyond it, i.e. count · (1 − p) < 10.
 * The p99 of 46 deletes has less than half a sample beyond it: it is the
 * maximum, whatever the distribution. Such values are marked (a note in the
 * tables, hollow points and dashed lines in the plots), not hidden.
 */
export const MIN_TAIL_SAMPLES = 10;

/** Operations beyond percentile `p` (0–100) out of `count`. */
export function samplesBeyond(count: number, p: number): number {
  return count * (1 - p / 100);
}

/** True when percentile `p` of `count` samples has fewer than MIN_TAIL_SAMPLES beyond it. */
export function isThinPercentile(count: number, p: number): boolean {
  return samplesBeyond(count, p) < MIN_TAIL_SAMPLES;
}

/** The smallest count whose percentile `p` is not thin (1,000 for p99, 20 for p50). */
export function minimumCountFor(p: number): number {
  return Math.ceil(MIN_TAIL_SAMPLES / (1 - p / 100) - 1e-9);
}
