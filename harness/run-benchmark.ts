import type { Scenario } from '../scenarios/scenario.js';
import { captureEnvironment } from './environment.js';
import type { BackendChoice } from './load-backend.js';
import { RESULTS_SCHEMA, RESULTS_VERSION, type BackendResult, type ResultsFile, type RunParameters } from './results.js';
import { runBackend, type BarrierTimes, type ProgressSnapshot } from './run-backend.js';

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
    run: options.run,
    backends: [],
  };
  for (const [index, choice] of options.backends.entries()) {
    options.onBackendStart?.(choice, index);
    const result = await runBackend({
      choice,
      scenario,
      run: options.run,
      intervalMs: options.intervalMs,
      onProgress: options.onProgress,
      onBarrier: options.onBarrier ? (barrier) => options.onBarrier!(choice.label, barrier) : undefined,
    });
    results.backends.push(result);
    options.onBackendDone?.(result, index);
  }
  return results;
}
