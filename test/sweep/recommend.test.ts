import { describe, expect, it } from 'vitest';
import { recommend, type Candidate } from '../../sweep/recommend.js';

const defaults = (values: number[]): Candidate => ({ index: 0, label: 'defaults', values, isDefault: true });
const other = (index: number, label: string, values: number[]): Candidate => ({ index, label, values, isDefault: false });

describe('recommend (latency: lower is better)', () => {
  it('recommends the faster configuration when its repeats do not overlap the defaults', () => {
    const r = recommend([defaults([100, 104, 98]), other(1, 'fast', [60, 62, 59]), other(2, 'slow', [150, 151, 149])], 'latency');
    expect(r.best.label).toBe('fast');
    expect(r.recommended.label).toBe('fast');
    expect(r.exceedsNoise).toBe(true);
    expect(r.ratio).toBeCloseTo(60 / 100, 6);
    expect(r.margin).toBeCloseTo(0.4, 6);
    expect(r.ci![1]).toBeLessThan(1);
    expect(r.verdict).toMatch(/beats the defaults by 40\.0%, more than run-to-run noise/);
  });

  it('keeps the defaults when the faster median is within the noise of the repeats', () => {
    // Medians 95 vs 100, but the repeats spread over 60–140: not a real difference.
    const r = recommend([defaults([100, 60, 140]), other(1, 'lucky', [95, 65, 135])], 'latency');
    expect(r.best.label).toBe('lucky');
    expect(r.exceedsNoise).toBe(false);
    expect(r.recommended.label).toBe('defaults');
    expect(r.ci![0]).toBeLessThan(1);
    expect(r.ci![1]).toBeGreaterThan(1);
    expect(r.verdict).toMatch(/within run-to-run noise .* keep the defaults/);
  });

  it('judges the same margin differently depending on the noise', () => {
    const quiet = recommend([defaults([100, 101, 99]), other(1, 'x', [90, 91, 89])], 'latency');
    const noisy = recommend([defaults([100, 130, 75]), other(1, 'x', [90, 120, 70])], 'latency');
    expect(quiet.margin).toBeCloseTo(noisy.margin!, 6);
    expect(quiet.recommended.label).toBe('x');
    expect(noisy.recommended.label).toBe('defaults');
  });

  it('does not judge noise from a single repeat', () => {
    const r = recommend([defaults([100]), other(1, 'fast', [50])], 'latency');
    expect(r.best.label).toBe('fast');
    expect(r.ci).toBeNull();
    expect(r.exceedsNoise).toBe(false);
    expect(r.recommended.label).toBe('defaults');
    expect(r.verdict).toMatch(/one run each/);
  });

  it('keeps the defaults when they are the best, and prefers them on a tie', () => {
    expect(recommend([defaults([50, 51]), other(1, 'slower', [80, 81])], 'latency').verdict).toMatch(/defaults are the best/);
    const tie = recommend([other(1, 'same', [50, 52]), defaults([50, 52])], 'latency');
    expect(tie.best.label).toBe('defaults');
  });

  it('ignores configurations without completed runs', () => {
    const r = recommend([defaults([100, 100]), other(1, 'crashed', []), other(2, 'fast', [10, 11])], 'latency');
    expect(r.best.label).toBe('fast');
  });

  it('is reproducible (seeded bootstrap)', () => {
    const input = [defaults([100, 90, 110, 95]), other(1, 'x', [80, 85, 92, 70])];
    expect(recommend(input, 'latency', { seed: 3 })).toEqual(recommend(input, 'latency', { seed: 3 }));
  });
});

describe('recommend (throughput: higher is better)', () => {
  it('picks the highest rate and requires the interval above 1', () => {
    const r = recommend([defaults([1000, 1010, 990]), other(1, 'more', [1500, 1490, 1520]), other(2, 'less', [500, 510, 490])], 'rate');
    expect(r.best.label).toBe('more');
    expect(r.exceedsNoise).toBe(true);
    expect(r.ci![0]).toBeGreaterThan(1);
    expect(r.margin).toBeCloseTo(0.5, 6);
    const noisy = recommend([defaults([1000, 600, 1400]), other(1, 'more', [1100, 650, 1450])], 'rate');
    expect(noisy.recommended.label).toBe('defaults');
  });
});
