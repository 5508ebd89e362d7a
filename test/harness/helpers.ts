import { fileURLToPath } from 'node:url';
import { parseBackendChoices } from '../../harness/load-backend.js';
import type { RunParameters } from '../../results/results.js';
import { runBenchmark, type BenchmarkOptions } from '../../harness/run-benchmark.js';
import type { Scenario } from '../../scenarios/scenario.js';
import { getScenario } from '../../scenarios/registry.js';

/** Absolute path of a fixture backend module, usable in `--backends`. */
export function fixture(name: string, options = ''): string {
  const path = fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));
  return options ? `${path}:${options}` : path;
}

/** A get-only scenario over a few preloaded keys: every op's outcome is decided by the backend. */
export function getOnly(keys = 10): Scenario {
  return {
    ...getScenario('talk'),
    name: 'get-only',
    keys: { count: keys, distribution: { kind: 'uniform' } },
    mix: { get: 1 },
  };
}

export function smallRun(overrides: Partial<RunParameters> = {}): RunParameters {
  return {
    procs: 2,
    ops: 1_000,
    durationSeconds: null,
    warmupOps: 0,
    rate: null,
    loadModel: 'closed',
    seed: 1,
    ...overrides,
  };
}

export function run(
  backends: string,
  scenario: Scenario,
  params: Partial<RunParameters>,
  extra: Partial<BenchmarkOptions> = {},
) {
  return runBenchmark({ scenario, backends: parseBackendChoices(backends), run: smallRun(params), ...extra });
}
