import type { Scenario } from './scenario.js';

/**
 * python-diskcache's tests/benchmark_core.py, as shown in the talk: 100 keys
 * chosen uniformly, all preloaded, values are the op counter's decimal string
 * repeated 1–99 times, 90% get / 9% set / 1% delete, 1,000 warm-up ops,
 * 100,000 ops per process, 8 processes.
 */
export const talk: Scenario = {
  name: 'talk',
  description: "python-diskcache's benchmark_core: 100 keys, 90% get / 9% set / 1% delete, 8 processes",
  capabilities: [],
  keys: { count: 100, distribution: { kind: 'uniform' } },
  values: { kind: 'counter-repeat', minRepeat: 1, maxRepeat: 99 },
  mix: { get: 0.9, set: 0.09, delete: 0.01 },
  preload: true,
  sizes: { procs: 8, opsPerProcess: 100_000, warmupOps: 1_000 },
  quick: { procs: 4, opsPerProcess: 5_000, warmupOps: 1_000 },
};

/**
 * benchmark_djangocache.py: the same mix over 1,100 keys. Its settings
 * (tests/settings_benchmark.py) give Django's FileBasedCache MAX_ENTRIES 1000
 * and CULL_FREQUENCY 10 — not Django's defaults of 300 and 3 — so with 1,100
 * keys the filebased store must cull a tenth of its files now and then.
 */
export const django: Scenario = {
  ...talk,
  name: 'django',
  description: "python-diskcache's benchmark_djangocache: the talk's mix over 1,100 keys; filebased as configured there (max_entries=1000, cull_frequency=10), so it must cull",
  keys: { count: 1_100, distribution: { kind: 'uniform' } },
  backendOptions: { filebased: { max_entries: '1000', cull_frequency: '10' } },
};
