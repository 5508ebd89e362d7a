import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { MergeError } from '../../results/merge-error.js';
import { decodeHistogram } from '../../results/histogram.js';
import { mergeResults } from '../../results/merge-results.js';
import { constant, logUniform, makeResults, talkResults } from '../reports/fixtures/make-results.js';

const run = (seed: number, ns: number, count: number, misses = 0) =>
  makeResults({
    seed,
    backends: [{ label: 'sqlite', actions: { get: { count, distribution: constant(ns), misses } } }],
  });

describe('mergeResults', () => {
  it('adds histogram counts exactly and recomputes percentiles from the sum', () => {
    const merged = mergeResults([run(1, 1_000, 1_000, 3), run(2, 10_000, 500, 4)]);
    const get = merged.backends[0].actions.get;
    expect(get.count).toBe(1_500);
    expect(get.misses).toBe(7);
    const histogram = decodeHistogram(get.histogram, 'merged');
    expect(histogram.totalCount).toBe(1_500);
    // Two thirds of the samples are 1 µs: p50 is 1 µs, p90 is the 10 µs run.
    expect(get.percentiles.p50).toBe(histogram.getValueAtPercentile(50));
    expect(get.percentiles.p50).toBeLessThan(1_001);
    expect(get.percentiles.p90).toBeGreaterThanOrEqual(10_000);
    expect(get.totalNs).toBe(1_000 * 1_000 + 500 * 10_000);
    expect(merged.backends[0].wallSeconds).toBe(6);
    expect(get.throughput).toBe(1_500 / 6);
  });

  it("places every run's noise samples back to back and judges them again", () => {
    const noisy = (others: number[]) => ({
      thresholdCores: 0.25,
      samples: others.map((o, i) => ({ start: i, seconds: 1, othersCores: o, runCores: 1, stealCores: 0 })),
      noisyIntervals: others.flatMap((o, i) => (o > 0.25 ? [i] : [])),
      maxOthersCores: Math.max(...others),
      meanOthersCores: 0,
      tracked: [{ role: 'parent' as const, pid: 1 }],
    });
    const a = run(1, 1_000, 300);
    const b = run(2, 1_000, 300);
    a.backends[0].hostNoise = noisy([0.1, 0.1, 0.1]);
    b.backends[0].hostNoise = noisy([0.1, 0.9, 0.1]);
    const noise = mergeResults([a, b]).backends[0].hostNoise!;
    expect(noise.samples.map((s) => s.start)).toEqual([0, 1, 2, 3, 4, 5]);
    // The second run's noisy second is index 4 of the merged series, not the first run's quiet.
    expect(noise.noisyIntervals).toEqual([4]);
    expect(noise.maxOthersCores).toBe(0.9);
  });

  it('matches a histogram recorded from all samples of all runs', () => {
    const runs = [1, 2, 3].map((seed) =>
      makeResults({
        seed,
        backends: [{ label: 'memory', actions: { set: { count: 3_000, distribution: logUniform(100, 1e8) } } }],
      }),
    );
    const merged = decodeHistogram(mergeResults(runs).backends[0].actions.set.histogram, 'merged');
    const reference = hdr.build({ bitBucketSize: 64 });
    for (const r of runs) reference.add(decodeHistogram(r.backends[0].actions.set.histogram, 'run'));
    expect(merged.totalCount).toBe(9_000);
    for (const p of [0, 10, 50, 90, 99, 99.9, 100])
      expect(merged.getValueAtPercentile(p)).toBe(reference.getValueAtPercentile(p));
  });

  it('places interval series back to back and lists the merged runs', () => {
    const merged = mergeResults([run(1, 1_000, 30), run(2, 1_000, 30)]);
    expect(merged.backends[0].intervals.map((i) => i.start)).toEqual([0, 1, 2, 3, 4, 5]);
    expect((merged.environment.extra?.mergedFrom as unknown[]).length).toBe(2);
  });

  it('refuses runs of different scenarios, parameters or backends with a clear error', () => {
    const other = makeResults({
      scenario: 'django',
      backends: [{ label: 'sqlite', actions: { get: { count: 1, distribution: constant(1) } } }],
    });
    expect(() => mergeResults([run(1, 1, 1), other])).toThrow(
      /file 2 has scenario\.name = "django" but file 1 has "mixed"/,
    );
    const params = makeResults({ parameters: { keys: 5 }, backends: [{ label: 'sqlite', actions: {} }] });
    // The message names the field that differs, not both whole objects.
    expect(() => mergeResults([run(1, 1, 1), params])).toThrow(
      /file 2 has scenario\.parameters\.keys = 5 but file 1 has 100;/,
    );
    expect(() => mergeResults([run(1, 1, 1), talkResults()])).toThrow(/has the set of backends = /);
    const v2 = { ...run(1, 1, 1), version: 2 } as unknown as ReturnType<typeof run>;
    try {
      mergeResults([run(1, 1, 1), v2]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MergeError);
      expect((error as MergeError).code).toBe('MERGE_MISMATCH');
      expect((error as MergeError).message).toContain('cachebench report');
    }
    expect(() => mergeResults([])).toThrow(MergeError);
    // Counts of files before and after timeouts were timed mean different things: summing them would mix the two.
    const untimed = makeResults({
      timeoutsTimed: false,
      backends: [{ label: 'sqlite', actions: { get: { count: 1, distribution: constant(1) } } }],
    });
    expect(() => mergeResults([run(1, 1, 1), untimed])).toThrow(
      /file 2 has run\.timeoutsTimed = nothing but file 1 has true/,
    );
  });

  it('refuses the same run given twice, which would count it twice', () => {
    const a = run(1, 1_000, 100);
    expect(() => mergeResults([a, run(2, 1_000, 100), structuredClone(a)])).toThrow(
      /file 3 is the same run as file 1 .*count its operations twice/,
    );
  });
});
