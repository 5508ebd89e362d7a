import type { Scenario } from './scenario.js';

/**
 * Many processes bump shared counters with `incr` while others drain them with
 * `pop` (a page-view pipeline). After the run every counter is drained and the
 * totals must match: an increment lost to a race fails the run.
 */
export const analytics: Scenario = {
  name: 'analytics',
  description: 'incr counters and pop drains from many processes; checks that no increment is lost',
  capabilities: ['incr', 'pop'],
  keys: { count: 16, prefix: 'counter:', distribution: { kind: 'uniform' } },
  values: { kind: 'counter-repeat', minRepeat: 1, maxRepeat: 1 },
  mix: { incr: 0.9, pop: 0.1 },
  preload: false,
  check: 'conservation',
  sizes: { procs: 8, opsPerProcess: 50_000, warmupOps: 500 },
  notes: '--param keys=N (number of counters), mix.pop=W',
};
