import type { KeyDistribution, MixAction, Scenario } from './scenario.js';

/**
 * The YCSB core workloads A–F (Cooper et al., SoCC 2010; YCSB's workloads/workloada..f) as
 * key/value mixes, with YCSB's generators (scenarios/ycsb/): 1,000 records of 10 fields ×
 * 100 bytes, each stored as one 1,000-byte value under `user` + fnvhash64(n) (insertorder=hashed);
 * requests drawn by the scrambled zipfian (A, B, C, E, F) or skewed latest (D).
 * YCSB's operations map as: read → get, update → `update` (one field, see RecordLayout),
 * insert → `insert`, scan → `scan` (getMany of the next keys in sorted order),
 * read-modify-write → `rmw`. Each worker is one YCSB client; see Workload for how several
 * share a store. docs/scenarios.md lists what differs from YCSB.
 */
function ycsb(
  letter: string,
  summary: string,
  mix: Partial<Record<MixAction, number>>,
  distribution: KeyDistribution,
): Scenario {
  const capabilities: Scenario['capabilities'] = (mix.scan ?? 0) > 0 ? ['getMany'] : [];
  return {
    name: `ycsb-${letter}`,
    description: `YCSB workload ${letter.toUpperCase()}: ${summary}`,
    capabilities,
    keys: { count: 1_000, prefix: 'user', order: 'hashed', distribution },
    values: { kind: 'bytes', minBytes: 1_000, maxBytes: 1_000 },
    record: { fieldCount: 10, writeAllFields: false },
    mix,
    preload: true,
    maxScanLength: 100,
    sizes: { procs: 4, opsPerProcess: 100_000, warmupOps: 1_000 },
    notes:
      '--param keys=N (record count), valueBytes=N (record size), fieldCount=N, writeAllFields=true|false, insertOrder=hashed|ordered, theta=0.99',
  };
}

const zipfian: KeyDistribution = { kind: 'zipfian', theta: 0.99 };

export const ycsbScenarios: readonly Scenario[] = [
  ycsb('a', 'update heavy, 50% read / 50% update, zipfian', { get: 0.5, update: 0.5 }, zipfian),
  ycsb('b', 'read mostly, 95% read / 5% update, zipfian', { get: 0.95, update: 0.05 }, zipfian),
  ycsb('c', 'read only, zipfian', { get: 1 }, zipfian),
  ycsb('d', 'read latest, 95% read / 5% insert, latest', { get: 0.95, insert: 0.05 }, { kind: 'latest', theta: 0.99 }),
  ycsb(
    'e',
    'short ranges, 95% scan (getMany of 1–100 keys in key order) / 5% insert, zipfian',
    { scan: 0.95, insert: 0.05 },
    zipfian,
  ),
  ycsb('f', 'read-modify-write, 50% read / 50% read-modify-write, zipfian', { get: 0.5, rmw: 0.5 }, zipfian),
];
