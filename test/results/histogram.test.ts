import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  createMergeHistogram,
  decodeHistogram,
  encodeHistogram,
  HistogramError,
  percentileDistribution,
} from '../../results/histogram.js';

/** A histogram whose one bucket holds `count` samples of `value`, encoded as a results file stores it. */
function encodedWith(value: number, count: number): string {
  const h = hdr.build({ bitBucketSize: 64, numberOfSignificantValueDigits: 3 });
  h.recordValueWithCount(value, count);
  return hdr.encodeIntoCompressedBase64(h);
}

describe('the one histogram module (harness and reports)', () => {
  it('decodes a bucket past 2^32 samples without wrapping (merged long runs)', () => {
    const count = 5_000_000_000;
    const h = decodeHistogram(encodedWith(1_000, count));
    expect(h.totalCount).toBe(count);
    expect(h.getValueAtPercentile(50)).toBeGreaterThanOrEqual(1_000);
    expect(h.getValueAtPercentile(50)).toBeLessThan(1_001);
  });

  it('merges decoded histograms past 2^32 in one bucket, and re-encodes them losslessly', () => {
    const total = createMergeHistogram();
    for (let i = 0; i < 3; i++) total.add(decodeHistogram(encodedWith(5_000, 2_000_000_000)));
    expect(total.totalCount).toBe(6_000_000_000);
    expect(total.getValueAtPercentile(100)).toBeGreaterThanOrEqual(5_000);
    const again = decodeHistogram(encodeHistogram(total));
    expect(again.totalCount).toBe(6_000_000_000);
    expect(percentileDistribution(again).at(-1)!.totalCount).toBe(6_000_000_000);
  });

  it('names the histogram that cannot be decoded, with a typed error', () => {
    let caught: unknown;
    try {
      decodeHistogram('not base64 at all!', 'sqlite get');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HistogramError);
    expect((caught as HistogramError).code).toBe('HISTOGRAM_INVALID');
    expect((caught as Error).message).toMatch(/^sqlite get: the histogram is not hdr-histogram-js compressed base64/);
  });
});
