import { describe, expect, it } from 'vitest';
import { getScenario } from '../../scenarios/registry.js';
import { run } from './helpers.js';

/**
 * Counters a worker reads around its measured operations — the backend's own
 * (the engine's stats().writes) and its context switches — reach the result's
 * metrics, summed over workers.
 */
describe('worker counters in the results', () => {
  it("the engine's write counts and the workers' involuntary context switches are recorded per run", async () => {
    const results = await run('sqlite;memory', getScenario('talk'), { procs: 2, ops: 500, warmupOps: 100 });
    const [sqlite, memory] = results.backends;
    expect(sqlite!.status).toBe('completed');
    const metrics = sqlite!.metrics!;
    // Every measured set and delete is one write transaction; the warm-up's are not counted.
    const writes = sqlite!.actions.set!.count + (sqlite!.actions.delete?.count ?? 0);
    expect(metrics['writes.transactions']).toBeGreaterThanOrEqual(writes);
    expect(metrics['writes.transactions']).toBeLessThan(writes + 10);
    for (const key of [
      'writes.lockWaits',
      'writes.lockWaitNs',
      'writes.slowCommits',
      'writes.checkpoints',
      'involuntaryContextSwitches',
    ]) {
      expect(typeof metrics[key], key).toBe('number');
    }
    // A backend without counters of its own still gets the process's.
    expect(Object.keys(memory!.metrics ?? {})).toEqual(['involuntaryContextSwitches']);
  });
});
