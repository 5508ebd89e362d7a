/**
 * YCSB E with several real processes on one shared store: scans start on and cover only keys
 * that exist — the loaded records and the scanning worker's own inserts — while the zipfian
 * (sized for the inserts, as CoreWorkload sizes it) does reach inserted records.
 */
import { describe, expect, it } from 'vitest';
import { getScenario } from '../../scenarios/registry.js';
import { Workload } from '../../scenarios/workload.js';
import { run } from '../harness/helpers.js';

describe('ycsb-e with 4 processes (real processes, shared sqlite store)', () => {
  it('scans find every key they ask for: no scan misses beyond inserts that failed', async () => {
    const file = await run(
      'sqlite',
      getScenario('ycsb-e'),
      { procs: 4, ops: 1_500, warmupOps: 0, seed: 5 },
      { callFloors: false },
    );
    const backend = file.backends[0]!;
    expect(backend.status).toBe('completed');
    const scan = backend.actions.scan!;
    const insert = backend.actions.insert!;
    expect(scan.count).toBeGreaterThan(5_000);
    expect(insert.count).toBeGreaterThan(150);
    expect(scan.misses).toBeLessThanOrEqual(insert.timeouts + insert.errors);
  });

  it('the same streams start scans on inserted records', () => {
    // The workers above, replayed (a stream is a pure function of scenario, seed, worker, procs, ops).
    const scenario = getScenario('ycsb-e');
    let fromInserts = 0;
    for (let worker = 0; worker < 4; worker++) {
      const workload = new Workload(scenario, 5, worker, 4, 1_500);
      const inserted = new Set<string>();
      for (let i = 0; i < 1_500; i++) {
        const op = workload.next();
        if (op.action === 'insert') inserted.add(op.key);
        else if (inserted.has(op.key)) fromInserts++;
      }
    }
    expect(fromInserts).toBeGreaterThan(0);
  });
});
