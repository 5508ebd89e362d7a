/**
 * What a results file's host-noise figures mean: which samples are judged,
 * which are noisy, and the summary a backend's `hostNoise` holds. The harness
 * samples /proc (harness/host-noise.ts) and summarizes through here; merge
 * judges the runs' samples again and reports describe them the same way.
 */
import type { HostNoise, NoiseSample } from './results.js';

/**
 * Samples shorter than this are recorded but not judged: at 100 ticks/s a
 * 0.1 s sample of several processes is off by ±0.1 cores from rounding alone.
 */
export const MIN_JUDGED_SECONDS = 0.2;

/** A process whose CPU counts as the run's own. */
export interface TrackedProcess {
  role: 'parent' | 'worker' | 'server';
  pid: number;
}

/** Rounds a noise figure (seconds or cores) to the thousandths the file keeps. */
export function roundNoiseFigure(value: number): number {
  // `|| 0` turns -0 (a sample taken a hair before the origin) into 0: JSON cannot carry -0,
  // so a results file would not read back equal to what was written.
  return Math.round(value * 1000) / 1000 || 0;
}

/** Indexes of the samples where others (and the hypervisor) used more than `thresholdCores`. */
export function noisyIntervals(samples: readonly NoiseSample[], thresholdCores: number): number[] {
  const out: number[] = [];
  samples.forEach((s, i) => {
    if (s.seconds >= MIN_JUDGED_SECONDS && s.othersCores + s.stealCores > thresholdCores) out.push(i);
  });
  return out;
}

/** One line naming the disturbed intervals and how busy others were in each, for the terminal and the report. */
export function describeNoise(noise: HostNoise): string {
  const spans = noise.noisyIntervals.map((i) => {
    const s = noise.samples[i]!;
    return `${tenths(s.start)}–${tenths(s.start + s.seconds)} s (${(s.othersCores + s.stealCores).toFixed(2)} cores)`;
  });
  const judged = noise.samples.filter((s) => s.seconds >= MIN_JUDGED_SECONDS).length;
  return `other processes used more than ${noise.thresholdCores} cores in ${noise.noisyIntervals.length} of ${judged} intervals: ${spans.join(', ')}; latencies from those seconds may be inflated`;
}

function tenths(seconds: number): string {
  return String(Math.round(Math.max(0, seconds) * 10) / 10);
}

export function summarizeNoise(
  samples: readonly NoiseSample[],
  thresholdCores: number,
  tracked: readonly TrackedProcess[],
): HostNoise {
  const judged = samples.filter((s) => s.seconds >= MIN_JUDGED_SECONDS);
  const basis = judged.length > 0 ? judged : samples;
  const load = (s: NoiseSample): number => s.othersCores + s.stealCores;
  const totalSeconds = basis.reduce((t, s) => t + s.seconds, 0);
  return {
    thresholdCores,
    samples: [...samples],
    noisyIntervals: noisyIntervals(samples, thresholdCores),
    maxOthersCores: roundNoiseFigure(Math.max(0, ...basis.map(load))),
    meanOthersCores:
      totalSeconds > 0 ? roundNoiseFigure(basis.reduce((t, s) => t + load(s) * s.seconds, 0) / totalSeconds) : 0,
    tracked: tracked.map((t) => ({ ...t })),
  };
}
