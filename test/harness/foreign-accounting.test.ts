import { describe, expect, it } from 'vitest';
import type { BackendResult } from '../../results/results.js';
import { getScenario } from '../../scenarios/registry.js';
import { pythonWith } from '../backends/python-availability.js';
import { run } from './helpers.js';

/**
 * A foreign worker replays the same seeded operations as a TypeScript worker:
 * with stores of the same semantics, the same counts per action and the same
 * misses come out, from the same harness accounting.
 */
const python = pythonWith('json', 'python3');
const diskcache = pythonWith('diskcache', 'python3-diskcache');
const talk = getScenario('talk');

function tally(backend: BackendResult): Record<string, { count: number; misses: number; errors: number }> {
  return Object.fromEntries(
    Object.entries(backend.actions).map(([action, a]) => [
      action,
      { count: a.count, misses: a.misses, errors: a.errors },
    ]),
  );
}

describe.skipIf(!python.available)('foreign worker accounting against the TypeScript harness', () => {
  it('py-dict and memory: same counts and misses per action, per process stores, two processes', async () => {
    const results = await run('memory,py-dict', talk, { procs: 2, ops: 2_500, warmupOps: 500, seed: 7 });
    const [memory, pyDict] = results.backends;
    expect(memory!.status).toBe('completed');
    expect(pyDict!.status).toBe('completed');
    expect(tally(pyDict!)).toEqual(tally(memory!));
    // Deletes on a 100-key space leave misses to find: the comparison is not of zeros.
    expect(memory!.actions.get!.misses).toBeGreaterThan(0);
    expect(pyDict!.description?.callStyle).toBe('sync');
    expect(pyDict!.intervals.length).toBeGreaterThan(0);
  });

  it('open loop: the worker keeps the same schedule, so the same number of operations fit in the time', async () => {
    const params = {
      procs: 1,
      ops: null,
      durationSeconds: 0.4,
      warmupOps: 200,
      rate: 2_000,
      loadModel: 'open' as const,
      seed: 3,
    };
    const results = await run('memory,py-dict', talk, params);
    const [memory, pyDict] = results.backends;
    expect(pyDict!.status).toBe('completed');
    // 2,000 ops/s for 0.4 s: intended starts at 0, 0.5 ms, … below 0.4 s.
    expect(tally(pyDict!)).toEqual(tally(memory!));
    expect(Object.values(pyDict!.actions).reduce((s, a) => s + a.count, 0)).toBe(800);
    expect(pyDict!.actions.get!.serviceTime).toBeDefined();
  });

  it('a scenario that runs TypeScript around the store (crawl) is unavailable, naming what is missing', async () => {
    const results = await run('py-dict', getScenario('crawler'), { procs: 1, ops: 100, warmupOps: 0 });
    const backend = results.backends[0]!;
    expect(backend.status).toBe('unavailable');
    expect(backend.message).toMatch(
      /^py-dict lacks crawl \(runs in TypeScript; a foreign worker cannot\), needed by scenario crawler; skipped$/,
    );
  });

  it('a duration-bounded run stops when time is up', async () => {
    const results = await run('py-dict', talk, { procs: 1, ops: null, durationSeconds: 0.3, warmupOps: 0 });
    const backend = results.backends[0]!;
    expect(backend.status).toBe('completed');
    expect(backend.actions.get!.count).toBeGreaterThan(1_000);
  });
});

describe.skipIf(!diskcache.available)('py-diskcache against sqlite (the engine that reproduces it)', () => {
  it('talk, one process: the same counts and misses per action', async () => {
    const results = await run('sqlite,py-diskcache', talk, { procs: 1, ops: 3_000, warmupOps: 200, seed: 11 });
    const [sqlite, py] = results.backends;
    expect(py!.status).toBe('completed');
    expect(tally(py!)).toEqual(tally(sqlite!));
    expect(py!.description?.version).toMatch(/^python-diskcache 5\./);
    expect(py!.description?.durability).toBe(sqlite!.description?.durability);
  });

  it('analytics, two processes: no increment lost, the popped values add up', async () => {
    const results = await run('py-diskcache', getScenario('analytics'), { procs: 2, ops: 1_500, warmupOps: 100 });
    const backend = results.backends[0]!;
    expect(backend.status).toBe('completed');
    expect(backend.metrics?.noIncrementLost).toBe(true);
    expect(backend.metrics?.incremented).toBeGreaterThan(2_000);
  });
});
