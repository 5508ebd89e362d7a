import type { Histogram } from 'hdr-histogram-js';
import { standardNormalCdf } from './normal-distribution.js';

/**
 * A distribution-free confidence interval for one percentile of a single
 * run's latency histogram, from order statistics: the rank of the p-th
 * percentile among n recorded operations is Binomial(n, p), so the interval
 * spans the ranks n·p ± z·√(n·p·(1−p)).
 *
 * This measures only the sampling noise of the operations inside one run. It
 * knows nothing about run-to-run noise (another process on the CI machine,
 * a cold page cache), which is usually larger: that is why compare treats
 * single-run verdicts as a fallback and asks for repeated runs.
 */
export interface Estimate {
  point: number;
  low: number;
  high: number;
}

export function percentileInterval(histogram: Histogram, percentile: number, confidence: number): Estimate {
  const n = histogram.totalCount;
  const point = histogram.getValueAtPercentile(percentile);
  if (n === 0) return { point, low: point, high: point };
  const p = percentile / 100;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const spread = z * Math.sqrt(n * p * (1 - p));
  const lowRank = Math.max(1, Math.floor(n * p - spread));
  const highRank = Math.min(n, Math.ceil(n * p + spread));
  return {
    point,
    low: Math.min(point, histogram.getValueAtPercentile((100 * lowRank) / n)),
    high: Math.max(point, histogram.getValueAtPercentile((100 * highRank) / n)),
  };
}

/** Inverse of Φ by bisection; only called a few times per report, so simplicity wins. */
export function normalQuantile(probability: number): number {
  let low = -10;
  let high = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (low + high) / 2;
    if (standardNormalCdf(mid) < probability) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** a / b for intervals of positive values, taking the widest result (conservative). */
export function divideEstimates(a: Estimate, b: Estimate): Estimate {
  return { point: a.point / b.point, low: a.low / b.high, high: a.high / b.low };
}
