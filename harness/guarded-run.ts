/**
 * One backend's run with the measurement guards: wait for a quiet
 * host first (`--wait-idle`), and rerun a run disturbed by other processes
 * (`--retry-noisy`), keeping the quietest attempt and saying that it did.
 */
import { describeNoise } from '../results/noise-summary.js';
import { DEFAULT_NOISE_THRESHOLD_CORES, measureOthers } from './host-noise.js';
import type { BackendResult, HostNoise } from '../results/results.js';
import { runBackend, type BackendRunOptions } from './run-backend.js';

export interface GuardOptions {
  /** Wait up to this long for others' CPU use to drop under the threshold before starting. @default 0 */
  waitIdleSeconds?: number;
  /** Rerun a noisy backend up to this many times. @default 0 */
  retryNoisy?: number;
  /** Lines for the user: waiting, rerunning, which attempt was kept. */
  onNotice?: (text: string) => void;
}

/** How long each idle probe listens: long enough for tick rounding not to matter, short enough to start promptly. */
const PROBE_SECONDS = 0.5;

export function isNoisy(noise: HostNoise | undefined): boolean {
  return noise !== undefined && noise.noisyIntervals.length > 0;
}

export async function waitForIdle(
  maxSeconds: number,
  thresholdCores: number,
  onNotice?: (text: string) => void,
  signal?: AbortSignal,
): Promise<NonNullable<HostNoise['idleWait']>> {
  const started = Date.now();
  let told = false;
  for (;;) {
    const sample = await measureOthers(PROBE_SECONDS);
    if (!sample) return { waitedSeconds: 0, quiet: false, othersCores: Number.NaN };
    const last = sample.othersCores + sample.stealCores;
    const waited = (Date.now() - started) / 1000;
    if (last <= thresholdCores) return { waitedSeconds: round(waited), quiet: true, othersCores: last };
    if (signal?.aborted) return { waitedSeconds: round(waited), quiet: false, othersCores: last };
    if (waited >= maxSeconds) {
      onNotice?.(
        `host still busy after ${round(waited)} s (others use ${last.toFixed(2)} cores > ${thresholdCores}); starting anyway`,
      );
      return { waitedSeconds: round(waited), quiet: false, othersCores: last };
    }
    if (!told)
      onNotice?.(
        `waiting up to ${maxSeconds} s for a quiet host (others use ${last.toFixed(2)} cores > ${thresholdCores})`,
      );
    told = true;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Lower is quieter: fewer noisy intervals first, then less CPU used by others on average. */
function quietness(result: BackendResult): [number, number] {
  const noise = result.hostNoise;
  return noise
    ? [noise.noisyIntervals.length, noise.meanOthersCores]
    : [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
}

export async function runGuardedBackend(options: BackendRunOptions, guards: GuardOptions): Promise<BackendResult> {
  const threshold = options.noiseThresholdCores ?? DEFAULT_NOISE_THRESHOLD_CORES;
  const retries = guards.retryNoisy ?? 0;
  const attempts: BackendResult[] = [];
  for (let attempt = 0; attempt <= retries; attempt++) {
    const idleWait =
      guards.waitIdleSeconds && !options.signal?.aborted
        ? await waitForIdle(guards.waitIdleSeconds, threshold, guards.onNotice, options.signal)
        : undefined;
    const result = await runBackend(options);
    if (idleWait && result.hostNoise) result.hostNoise.idleWait = idleWait;
    attempts.push(result);
    // Only a completed run is worth repeating for quiet; a failure says something else.
    if (result.status !== 'completed' || !isNoisy(result.hostNoise) || options.signal?.aborted) break;
    if (attempt < retries)
      guards.onNotice?.(
        `${options.choice.label}: ${describeNoise(result.hostNoise!)}; rerunning (attempt ${attempt + 2} of ${retries + 1})`,
      );
  }
  if (attempts.length === 1) return attempts[0]!;
  let kept = 0;
  attempts.forEach((a, i) => {
    const [n, mean] = quietness(a);
    const [bestN, bestMean] = quietness(attempts[kept]!);
    if (a.status === 'completed' && (n < bestN || (n === bestN && mean < bestMean))) kept = i;
  });
  const result = attempts[kept]!;
  if (result.hostNoise) {
    result.hostNoise.attempts = attempts.map((a) => ({
      maxOthersCores: a.hostNoise?.maxOthersCores ?? Number.NaN,
      meanOthersCores: a.hostNoise?.meanOthersCores ?? Number.NaN,
      noisyIntervals: a.hostNoise?.noisyIntervals.length ?? 0,
    }));
    result.hostNoise.keptAttempt = kept;
  }
  guards.onNotice?.(
    `${options.choice.label}: ran ${attempts.length} times because the host was noisy; kept attempt ${kept + 1}, the quietest (${result.hostNoise?.noisyIntervals.length ?? '?'} noisy intervals, others ${result.hostNoise?.meanOthersCores.toFixed(2) ?? '?'} cores on average)`,
  );
  return result;
}
