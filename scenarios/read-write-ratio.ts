import type { Scenario } from './scenario.js';

/**
 * The talk's caveat that a disk cache pays off at "read:write 10:1 or higher":
 * one get:set ratio per run (`--param ratio=N`, default 10); `cachebench sweep`
 * runs it across 1 … 100, for several backends at once with `--backends`.
 */
export const readWriteRatio: Scenario = {
  name: 'read-write-ratio',
  description: 'get:set at a chosen ratio (--param ratio=1 … 100, default 10:1) over 1,000 uniform keys',
  capabilities: [],
  keys: { count: 1_000, distribution: { kind: 'uniform' } },
  values: { kind: 'counter-repeat', minRepeat: 1, maxRepeat: 99 },
  mix: { get: 10, set: 1 },
  preload: true,
  sizes: { procs: 8, opsPerProcess: 100_000, warmupOps: 1_000 },
  notes: '--param ratio=N sets get:set to N:1',
};
