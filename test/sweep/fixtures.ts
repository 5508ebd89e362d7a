import { RESULTS_SCHEMA, RESULTS_VERSION, type ActionResult, type ResultsFile } from '../../results/results.js';

/**
 * A results file with the figures the sweep summary reads and nothing else
 * real: fixed percentiles per action, no histogram. Enough for the summary,
 * ranking, recommendation and report; the harness is tested elsewhere.
 * Counts as the harness records them now (run.timeoutsTimed): `count` 1000
 * answers, timeouts among them and among `misses`. `untimedTimeouts` writes
 * the same operations as an older harness did: timeouts apart from both.
 */
export function fakeResults(
  label: string,
  procs: number,
  actions: Record<string, { p99: number; misses?: number; timeouts?: number }>,
  status: 'completed' | 'errored' = 'completed',
  untimedTimeouts = false,
): ResultsFile {
  const results: Record<string, ActionResult> = {};
  for (const [name, a] of Object.entries(actions)) {
    const timeouts = a.timeouts ?? 0;
    const apart = untimedTimeouts ? timeouts : 0;
    results[name] = {
      count: 1000 - apart,
      misses: (a.misses ?? 0) - apart,
      timeouts,
      errors: 0,
      errorMessages: [],
      percentiles: {
        p50: a.p99 / 4,
        p90: a.p99 / 2,
        p99: a.p99,
        p999: a.p99 * 2,
        max: a.p99 * 4,
        min: 100,
        mean: a.p99 / 3,
      },
      totalNs: 1000 * (a.p99 / 3),
      throughput: 1e9 / (a.p99 / 3),
      histogram: '',
    };
  }
  return {
    schema: RESULTS_SCHEMA,
    version: RESULTS_VERSION,
    createdAt: '2025-01-01T00:00:00.000Z',
    environment: {
      node: 'v20',
      platform: 'linux',
      arch: 'x64',
      osRelease: 'x',
      cpuModel: 'fake',
      cores: 2,
      totalMemoryBytes: 1,
      freeMemoryBytes: 1,
      sqlite: '3.53.0',
      cachebench: '0.1.0',
    },
    scenario: { name: 'talk', description: 'fake', parameters: {} },
    run: {
      procs,
      ops: 1000,
      durationSeconds: null,
      warmupOps: 0,
      rate: null,
      loadModel: 'closed',
      seed: 1,
      ...(untimedTimeouts ? {} : { timeoutsTimed: true }),
    },
    backends: [
      {
        label,
        name: label.split(':')[0]!,
        status,
        ...(status === 'errored' ? { message: 'worker 0 exited with code 1' } : {}),
        wallSeconds: 1,
        actions: status === 'completed' ? results : {},
        intervals: [],
      },
    ],
  };
}
