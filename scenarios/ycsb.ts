import type { KeyDistribution, MixAction, Scenario } from './scenario.js';

/**
 * The YCSB core workloads A–F (Cooper et al., SoCC 2010) as key/value mixes.
 * Records are 1,000 bytes (YCSB's 10 fields × 100 bytes) under `user<n>` keys;
 * `update` is a set of an existing key, `insert` a set of a new one.
 * D's `latest` reads favour each worker's own newest inserts, then the
 * preloaded keys: like one YCSB client, whose acknowledged-insert counter
 * covers only its own inserts, a worker never reads another worker's key,
 * which may not be inserted yet (see Workload.keyIndex).
 */
function ycsb(letter: string, summary: string, mix: Partial<Record<MixAction, number>>, distribution: KeyDistribution): Scenario {
  const capabilities: Scenario['capabilities'] = (mix.scan ?? 0) > 0 ? ['getMany'] : [];
  return {
    name: `ycsb-${letter}`,
    description: `YCSB workload ${letter.toUpperCase()}: ${summary}`,
    capabilities,
    keys: { count: 1_000, prefix: 'user', distribution },
    values: { kind: 'bytes', minBytes: 1_000, maxBytes: 1_000 },
    mix,
    preload: true,
    maxScanLength: 100,
    sizes: { procs: 4, opsPerProcess: 100_000, warmupOps: 1_000 },
    notes: '--param keys=N (record count), valueBytes=N, theta=0.99',
  };
}

const zipfian: KeyDistribution = { kind: 'zipfian', theta: 0.99 };

export const ycsbScenarios: readonly Scenario[] = [
  ycsb('a', 'update heavy, 50% read / 50% update, zipfian', { get: 0.5, set: 0.5 }, zipfian),
  ycsb('b', 'read mostly, 95% read / 5% update, zipfian', { get: 0.95, set: 0.05 }, zipfian),
  ycsb('c', 'read only, zipfian', { get: 1 }, zipfian),
  ycsb('d', 'read latest, 95% read / 5% insert, latest', { get: 0.95, insert: 0.05 }, { kind: 'latest', theta: 0.99 }),
  ycsb('e', 'short ranges, 95% scan (getMany of 1–100 keys) / 5% insert, zipfian', { scan: 0.95, insert: 0.05 }, zipfian),
  ycsb('f', 'read-modify-write, 50% read / 50% get+set, zipfian', { get: 0.5, rmw: 0.5 }, zipfian),
];
