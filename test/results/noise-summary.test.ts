import { describe, expect, it } from 'vitest';
import { describeNoise, noisyIntervals, roundNoiseFigure, summarizeNoise } from '../../results/noise-summary.js';
import type { NoiseSample } from '../../results/results.js';

describe('noise judgment', () => {
  const sample = (start: number, seconds: number, othersCores: number, stealCores = 0): NoiseSample => ({
    start,
    seconds,
    othersCores,
    runCores: 1,
    stealCores,
  });

  it('flags intervals whose others plus steal pass the threshold, and not the too-short ones', () => {
    const samples = [
      sample(0, 1, 0.1),
      sample(1, 1, 0.3),
      sample(2, 1, 0.2, 0.1),
      sample(3, 1, 0.25),
      sample(4, 0.05, 3),
    ];
    expect(noisyIntervals(samples, 0.25)).toEqual([1, 2]);
    const noise = summarizeNoise(samples, 0.25, [{ role: 'parent', pid: 1 }]);
    expect(noise.noisyIntervals).toEqual([1, 2]);
    // The short last sample is recorded but judges nothing: max and mean come from the judged ones.
    expect(noise.samples).toHaveLength(5);
    expect(noise.maxOthersCores).toBeCloseTo(0.3, 6);
    // Rounded to 0.001 cores in the file.
    expect(noise.meanOthersCores).toBeCloseTo((0.1 + 0.3 + 0.3 + 0.25) / 4, 2);
  });

  it('describes the noisy intervals in one line, counting only judged samples', () => {
    const samples = [sample(0, 1, 0.1), sample(1, 1, 0.4, 0.1), sample(2, 0.1, 2)];
    const text = describeNoise(summarizeNoise(samples, 0.25, []));
    expect(text).toBe(
      'other processes used more than 0.25 cores in 1 of 2 intervals: 1–2 s (0.50 cores); latencies from those seconds may be inflated',
    );
    expect(text).not.toContain('\n');
  });

  it('rounds figures to thousandths and never writes -0 (JSON cannot carry it)', () => {
    expect(roundNoiseFigure(0.12345)).toBe(0.123);
    expect(Object.is(roundNoiseFigure(-0.0001), 0)).toBe(true);
  });
});
