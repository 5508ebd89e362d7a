import type { RunSizes, Scenario } from './scenario.js';

/**
 * python-diskcache's benchmark loop runs `OPS = 100_000` operations per process
 * and records one only when `count > WARMUP` (1,000): counts 0..1,000 are
 * untimed, so 1,001 operations warm up and 98,999 are timed. Its published
 * 8-process table (tests/timings_core_p8.txt) totals 8 × 98,999 = 791,992.
 * The value counter runs on through the warm-up, so timed operation i sets
 * values built from count 1,001 + i, as there.
 */
const DISKCACHE_SIZES: RunSizes = { procs: 8, opsPerProcess: 98_999, warmupOps: 1_001 };

/**
 * python-diskcache's tests/benchmark_core.py, as shown in the talk: 100 keys
 * chosen uniformly, each preloaded with its own name as value, values are the
 * op counter's decimal string repeated 1–99 times, 90% get / 9% set / 1%
 * delete, 8 processes × 100,000 operations of which the first 1,001 warm up.
 */
export const talk: Scenario = {
  name: 'talk',
  description: "python-diskcache's benchmark_core: 100 keys, 90% get / 9% set / 1% delete, 8 processes",
  capabilities: [],
  keys: { count: 100, distribution: { kind: 'uniform' } },
  values: { kind: 'counter-repeat', minRepeat: 1, maxRepeat: 99, preloadValue: 'key' },
  mix: { get: 0.9, set: 0.09, delete: 0.01 },
  preload: true,
  sizes: DISKCACHE_SIZES,
  quick: { procs: 4, opsPerProcess: 5_000, warmupOps: DISKCACHE_SIZES.warmupOps },
  notes: 'differences from benchmark_core.py (barrier start, timer, key types, …): docs/scenarios.md#talk',
};

/**
 * benchmark_djangocache.py: the same mix and counts over 1,100 keys. Its settings
 * (tests/settings_benchmark.py) give Django's FileBasedCache MAX_ENTRIES 1000
 * and CULL_FREQUENCY 10 — not Django's defaults of 300 and 3 — so with 1,100
 * keys the filebased store must cull a tenth of its files now and then.
 */
export const django: Scenario = {
  ...talk,
  name: 'django',
  description:
    "python-diskcache's benchmark_djangocache: the talk's mix over 1,100 keys; filebased as configured there (max_entries=1000, cull_frequency=10), so it must cull",
  keys: { count: 1_100, distribution: { kind: 'uniform' } },
  backendOptions: { filebased: { max_entries: '1000', cull_frequency: '10' } },
  notes: 'differences from benchmark_djangocache.py (no Django layer, barrier start, …): docs/scenarios.md#django',
};
