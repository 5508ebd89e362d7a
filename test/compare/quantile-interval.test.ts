import { build } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../shared/rng.js';
import { divideEstimates, normalQuantile, percentileInterval } from '../../compare/quantile-interval.js';

/** Exponential latencies with a known true percentile: −ln(1 − p) × mean. */
function exponentialHistogram(seed: number, samples: number, meanNs: number) {
  const random = seededRandom(seed);
  const histogram = build({ numberOfSignificantValueDigits: 3 });
  for (let i = 0; i < samples; i++) histogram.recordValue(Math.max(1, Math.round(-Math.log(1 - random()) * meanNs)));
  return histogram;
}

describe('percentileInterval (single-run fallback)', () => {
  it('covers the true p99 in about 95% of seeded samples', () => {
    const truth = -Math.log(0.01) * 10_000;
    let covered = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const histogram = exponentialHistogram(seed, 2_000, 10_000);
      const interval = percentileInterval(histogram, 99, 0.95);
      // HDR buckets are 0.1% wide at 3 digits; allow that much.
      if (interval.low <= truth * 1.001 && interval.high >= truth * 0.999) covered++;
      histogram.destroy();
    }
    expect(covered).toBeGreaterThanOrEqual(88);
    expect(covered).toBeLessThanOrEqual(100);
  });

  it('narrows as the run records more operations', () => {
    const small = exponentialHistogram(1, 1_000, 10_000);
    const large = exponentialHistogram(1, 50_000, 10_000);
    const width = (h: typeof small) => {
      const i = percentileInterval(h, 50, 0.95);
      return (i.high - i.low) / i.point;
    };
    expect(width(large)).toBeLessThan(width(small) / 3);
  });

  it('divides intervals conservatively', () => {
    expect(divideEstimates({ point: 12, low: 10, high: 14 }, { point: 4, low: 2, high: 5 })).toEqual({
      point: 3,
      low: 2,
      high: 7,
    });
  });

  it('normalQuantile inverts the normal CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
  });
});
