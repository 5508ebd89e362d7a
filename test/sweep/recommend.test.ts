import { describe, expect, it } from 'vitest';
import { recommend, type Candidate, type Confirmation } from '../../sweep/recommend.js';
import { seededRandom } from '../../shared/rng.js';

const defaults = (values: number[]): Candidate => ({ index: 0, label: 'defaults', values, isDefault: true });
const other = (index: number, label: string, values: number[]): Candidate => ({
  index,
  label,
  values,
  isDefault: false,
});

describe('recommend (latency: lower is better)', () => {
  it('recommends the faster configuration when a confirmation round separates it from the defaults', () => {
    const grid = [defaults([100, 104, 98]), other(1, 'fast', [60, 62, 59]), other(2, 'slow', [150, 151, 149])];
    const confirmation: Confirmation = { index: 1, best: [61, 60, 63, 59, 62], reference: [101, 99, 103, 100, 98] };
    const r = recommend(grid, 'latency', { confirmation });
    expect(r.best.label).toBe('fast');
    expect(r.basis).toBe('confirmation');
    expect(r.comparisons).toBe(1);
    expect(r.recommended.label).toBe('fast');
    expect(r.exceedsNoise).toBe(true);
    expect(r.ratio).toBeCloseTo(61 / 100, 6);
    expect(r.margin).toBeCloseTo(0.39, 6);
    expect(r.ci![1]).toBeLessThan(1);
    expect(r.verdict).toMatch(
      /beats the defaults by 39\.0%, more than run-to-run noise \(confirmed by 5 \+ 5 fresh runs/,
    );
  });

  it('without a confirmation round, corrects for picking the best of many: 3 clean repeats are not enough against 2 rivals', () => {
    const grid = [defaults([100, 104, 98]), other(1, 'fast', [60, 62, 59]), other(2, 'slow', [150, 151, 149])];
    const r = recommend(grid, 'latency');
    expect(r.basis).toBe('grid');
    expect(r.comparisons).toBe(2);
    expect(r.confidence).toBeCloseTo(1 - 0.05 / 2, 9);
    // 3 v 3 complete separation: one-sided p = 0.05 > 0.025 / 2.
    expect(r.pValue).toBeCloseTo(0.05, 9);
    expect(r.exceedsNoise).toBe(false);
    expect(r.recommended.label).toBe('defaults');
    expect(r.verdict).toMatch(/corrected for 2 comparisons.*keep the defaults.*--confirm/);
    // Five clean repeats each pass the corrected level (1/252 ≤ 0.0125).
    const five = recommend(
      [
        defaults([100, 104, 98, 101, 99]),
        other(1, 'fast', [60, 62, 59, 61, 63]),
        other(2, 'slow', [150, 151, 149, 152, 148]),
      ],
      'latency',
    );
    expect(five.exceedsNoise).toBe(true);
    expect(five.verdict).toMatch(/corrected for 2 comparisons/);
  });

  it('ignores a confirmation of a configuration that is not the best', () => {
    const grid = [defaults([100, 104, 98]), other(1, 'fast', [60, 62, 59]), other(2, 'slow', [150, 151, 149])];
    const r = recommend(grid, 'latency', {
      confirmation: { index: 2, best: [1, 1, 1, 1, 1], reference: [9, 9, 9, 9, 9] },
    });
    expect(r.basis).toBe('grid');
    expect(r.recommended.label).toBe('defaults');
  });

  it('keeps the defaults when the confirmation runs overlap the defaults', () => {
    const grid = [defaults([100, 60, 140]), other(1, 'lucky', [95, 65, 135])];
    const r = recommend(grid, 'latency', {
      confirmation: { index: 1, best: [95, 65, 135, 110, 80], reference: [100, 60, 140, 90, 120] },
    });
    expect(r.best.label).toBe('lucky');
    expect(r.exceedsNoise).toBe(false);
    expect(r.recommended.label).toBe('defaults');
    expect(r.ci![0]).toBeLessThan(1);
    expect(r.ci![1]).toBeGreaterThan(1);
    expect(r.verdict).toMatch(/within run-to-run noise .* keep the defaults/);
  });

  it('says "slower" when the confirmation round reverses the grid, never a negative "better"', () => {
    const grid = [defaults([100, 104, 98]), other(1, 'shards=4 procs=1', [60, 62, 59])];
    const r = recommend(grid, 'latency', {
      confirmation: { index: 1, best: [178, 180, 176, 179, 181], reference: [100, 101, 99, 98, 102] },
    });
    expect(r.margin).toBeCloseTo(-0.79, 6);
    expect(r.recommended.label).toBe('defaults');
    expect(r.verdict).toMatch(
      /^shards=4 procs=1 measured 79\.0% slower than the defaults in the confirmation round, though the grid ranked it best \(judged on 5 \+ 5 fresh runs; .*\); keep the defaults$/,
    );
    expect(r.verdict).not.toMatch(/better|within run-to-run noise|confirmed by/);
    // One confirmation run each: the same direction words.
    const one = recommend(grid, 'latency', { confirmation: { index: 1, best: [150], reference: [100] } });
    expect(one.verdict).toMatch(
      /^shards=4 procs=1 measured 50\.0% slower than the defaults in the confirmation round, though the grid ranked it best; with one run each, run-to-run noise cannot be judged/,
    );
  });

  it('a throughput objective reversed by the confirmation round reads "less throughput"', () => {
    const grid = [defaults([1000, 990, 1010]), other(1, 'wal', [1500, 1490, 1510])];
    const r = recommend(grid, 'rate', {
      confirmation: { index: 1, best: [700, 710, 690, 705, 695], reference: [1000, 1010, 990, 1005, 995] },
    });
    expect(r.verdict).toMatch(/^wal measured 30\.0% less throughput than the defaults in the confirmation round/);
  });

  it('judges the same margin differently depending on the noise', () => {
    const quiet = recommend(
      [defaults([100, 101, 99, 100.5, 99.5]), other(1, 'x', [90, 91, 89, 90.5, 89.5])],
      'latency',
    );
    const noisy = recommend([defaults([100, 130, 75, 110, 90]), other(1, 'x', [90, 120, 70, 100, 80])], 'latency');
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
    expect(recommend([defaults([50, 51]), other(1, 'slower', [80, 81])], 'latency').verdict).toMatch(
      /defaults are the best/,
    );
    const tie = recommend([other(1, 'same', [50, 52]), defaults([50, 52])], 'latency');
    expect(tie.best.label).toBe('defaults');
  });

  it('ignores configurations without completed runs', () => {
    const r = recommend([defaults([100, 100]), other(1, 'crashed', []), other(2, 'fast', [10, 11])], 'latency');
    expect(r.best.label).toBe('fast');
    expect(r.comparisons).toBe(1);
  });

  it('is reproducible (seeded bootstrap)', () => {
    const input = [defaults([100, 90, 110, 95]), other(1, 'x', [80, 85, 92, 70])];
    expect(recommend(input, 'latency', { seed: 3 })).toEqual(recommend(input, 'latency', { seed: 3 }));
  });
});

describe('recommend (throughput: higher is better)', () => {
  it('picks the highest rate and requires it to be significantly higher', () => {
    const r = recommend(
      [
        defaults([1000, 1010, 990, 1005, 995]),
        other(1, 'more', [1500, 1490, 1520, 1510, 1505]),
        other(2, 'less', [500, 510, 490, 505, 495]),
      ],
      'rate',
    );
    expect(r.best.label).toBe('more');
    expect(r.exceedsNoise).toBe(true);
    expect(r.ci![0]).toBeGreaterThan(1);
    expect(r.margin).toBeCloseTo(0.505, 6);
    const noisy = recommend([defaults([1000, 600, 1400]), other(1, 'more', [1100, 650, 1450])], 'rate', {
      confirmation: { index: 1, best: [1100, 650, 1450, 900, 1200], reference: [1000, 600, 1400, 1150, 800] },
    });
    expect(noisy.recommended.label).toBe('defaults');
  });
});

/**
 * The whole procedure as the sweep runs it, on simulated runs: k
 * configurations × repeats (log-normal run-to-run noise, σ = 0.2), the grid
 * picks the best, then a confirmation round of 6 + 6 fresh runs (or none).
 */
function simulate(
  trials: number,
  k: number,
  repeats: number,
  confirm: number,
  improvement: number,
  seed: number,
): { recommended: number; recommendedBetter: number } {
  const random = seededRandom(seed);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const better = k - 1; // the last configuration carries the improvement (none when improvement = 0)
  const draw = (index: number, n: number): number[] =>
    Array.from({ length: n }, () => 100 * (index === better ? 1 - improvement : 1) * Math.exp(0.2 * normal()));
  let recommended = 0;
  let recommendedBetter = 0;
  for (let t = 0; t < trials; t++) {
    const grid = Array.from({ length: k }, (_, i) => ({
      index: i,
      label: `c${i}`,
      isDefault: i === 0,
      values: draw(i, repeats),
    }));
    const options = { seed: t + 1, resamples: 200 };
    let r = recommend(grid, 'latency', options);
    if (confirm > 0 && r.best.index !== 0)
      r = recommend(grid, 'latency', {
        ...options,
        confirmation: { index: r.best.index, best: draw(r.best.index, confirm), reference: draw(0, confirm) },
      });
    if (r.exceedsNoise) recommended++;
    if (r.exceedsNoise && r.recommended.index === better) recommendedBetter++;
  }
  return { recommended, recommendedBetter };
}

describe('recommend: false recommendations among identical configurations, and power', () => {
  const trials = 200;
  it.each([
    ['quick grid 12 × 3, confirmation 6', 12, 3, 6],
    ['12 × 5, confirmation 6', 12, 5, 6],
    ['2 × 3, confirmation 6', 2, 3, 6],
    ['12 × 5, grid only (Bonferroni)', 12, 5, 0],
    ['12 × 3, grid only (Bonferroni)', 12, 3, 0],
  ])('%s: at most 5%% of the trials recommend a change', (_name, k, repeats, confirm) => {
    const { recommended } = simulate(trials, k, repeats, confirm, 0, 7 + k * repeats + confirm);
    expect(recommended / trials).toBeLessThanOrEqual(0.05);
  });

  it('a real 30% improvement among 12 configurations is still recommended in most trials (12 × 3 with confirmation)', () => {
    const { recommendedBetter } = simulate(trials, 12, 3, 6, 0.3, 99);
    expect(recommendedBetter / trials).toBeGreaterThanOrEqual(0.5);
  });

  it('a clear 50% improvement is recommended nearly always', () => {
    const { recommendedBetter } = simulate(trials, 12, 3, 6, 0.5, 5);
    expect(recommendedBetter / trials).toBeGreaterThanOrEqual(0.9);
  });
});
