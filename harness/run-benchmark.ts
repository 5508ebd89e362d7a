import type { Scenario } from '../scenarios/scenario.js';
import { measureCallFloors } from './call-floor.js';
import type { PinChoice, PlacementRequest } from './cpu-placement.js';
import { captureEnvironment } from './environment.js';
import { runGuardedBackend } from './guarded-run.js';
import { DEFAULT_NOISE_THRESHOLD_CORES } from './host-noise.js';
import type { BackendChoice } from './load-backend.js';
import { parseExplicitPin } from './pin-choice.js';
import {
  RESULTS_SCHEMA,
  RESULTS_VERSION,
  type BackendResult,
  type ResultsFile,
  type RunParameters,
} from '../results/results.js';
import type { ProgressSnapshot } from './progress-report.js';
import { type BarrierTimes } from './run-backend.js';

export interface BenchmarkOptions {
  scenario: Scenario;
  /** `--param` overrides as the user gave them, recorded with the scenario. */
  parameters?: Record<string, string>;
  backends: readonly BackendChoice[];
  run: RunParameters;
  /** @default 1000 */
  intervalMs?: number;
  onProgress?: (snapshot: ProgressSnapshot) => void;
  /** Called when a backend starts and when it is done. */
  onBackendStart?: (choice: BackendChoice, index: number) => void;
  onBackendDone?: (result: BackendResult, index: number) => void;
  onBarrier?: (label: string, barrier: BarrierTimes) => void;
  /** Others' CPU use above this many cores marks an interval noisy. @default 0.25 */
  noiseThresholdCores?: number;
  /** Wait up to this many seconds for a quiet host before each backend. @default 0 */
  waitIdleSeconds?: number;
  /** Rerun a noisy backend up to this many times, keeping the quietest. @default 0 */
  retryNoisy?: number;
  /** Pin workers and local servers; `both` runs each backend in both placements; `client=…,server=…` on those CPUs. @default unpinned */
  pin?: PinChoice;
  /** Measure the harness's sync and async call floors before the first backend. @default true */
  callFloors?: boolean;
  /** Lines for the user about the guards (waiting for quiet, reruns). */
  onNotice?: (text: string) => void;
  /**
   * Aborted on Ctrl-C: the running backend is stopped and kept, marked
   * interrupted; the backends after it are not run (not listed).
   */
  signal?: AbortSignal;
}

/** Each backend once per placement; `--pin both` labels them apart so tables and plots show both. */
function expand(
  backends: readonly BackendChoice[],
  pin: PinChoice | undefined,
): { choice: BackendChoice; pin?: PlacementRequest }[] {
  if (pin === undefined) return backends.map((choice) => ({ choice }));
  if (pin === 'same' || pin === 'separate') return backends.map((choice) => ({ choice, pin }));
  const explicit = parseExplicitPin(pin);
  if (explicit) return backends.map((choice) => ({ choice, pin: explicit }));
  return backends.flatMap((choice) => [
    { choice: { ...choice, label: `${choice.label} @same-cpu` }, pin: 'same' as const },
    { choice: { ...choice, label: `${choice.label} @separate-cpus` }, pin: 'separate' as const },
  ]);
}

/**
 * Runs a scenario on each backend in the order given, one after another, so
 * each has the whole machine, and returns the results file.
 */
export async function runBenchmark(options: BenchmarkOptions): Promise<ResultsFile> {
  const { scenario } = options;
  const results: ResultsFile = {
    schema: RESULTS_SCHEMA,
    version: RESULTS_VERSION,
    createdAt: new Date().toISOString(),
    environment: captureEnvironment(),
    scenario: {
      name: scenario.name,
      description: scenario.description,
      parameters: { ...options.parameters, definition: scenario },
    },
    run: {
      ...options.run,
      // Readers tell this file's counts from older ones by it (answer-counts.ts).
      timeoutsTimed: true,
      measurement: {
        noiseThresholdCores: options.noiseThresholdCores ?? DEFAULT_NOISE_THRESHOLD_CORES,
        waitIdleSeconds: options.waitIdleSeconds ?? 0,
        retryNoisy: options.retryNoisy ?? 0,
        pin: options.pin ?? null,
      },
    },
    backends: [],
  };
  if (options.callFloors !== false) results.callFloors = await measureCallFloors();
  for (const [index, { choice, pin }] of expand(options.backends, options.pin).entries()) {
    if (options.signal?.aborted) break;
    options.onBackendStart?.(choice, index);
    const result = await runGuardedBackend(
      {
        choice,
        scenario,
        run: options.run,
        intervalMs: options.intervalMs,
        onProgress: options.onProgress,
        onBarrier: options.onBarrier ? (barrier) => options.onBarrier!(choice.label, barrier) : undefined,
        noiseThresholdCores: options.noiseThresholdCores,
        pin,
        signal: options.signal,
      },
      { waitIdleSeconds: options.waitIdleSeconds, retryNoisy: options.retryNoisy, onNotice: options.onNotice },
    );
    results.backends.push(result);
    options.onBackendDone?.(result, index);
  }
  return results;
}
