import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../results/histogram.js';
import { getScenario } from '../../scenarios/registry.js';
import { fixture, getOnly, run } from './helpers.js';

describe('counting misses, timeouts and errors (real processes)', () => {
  it('counts each outcome exactly and keeps the distinct error messages', async () => {
    const procs = 2;
    const ops = 1_001;
    const results = await run(fixture('faulty', 'missEvery=5,timeoutEvery=7,errorEvery=11'), getOnly(), { procs, ops });
    const get = results.backends[0]!.actions.get!;
    // Per process, gets 1..1001: errors on multiples of 11, timeouts on multiples of 7 that are not
    // multiples of 11, misses on multiples of 5 that are neither.
    let errors = 0;
    let timeouts = 0;
    let misses = 0;
    for (let n = 1; n <= ops; n++) {
      if (n % 11 === 0) errors++;
      else if (n % 7 === 0) timeouts++;
      else if (n % 5 === 0) misses++;
    }
    expect(get.errors).toBe(procs * errors);
    expect(get.timeouts).toBe(procs * timeouts);
    // A timeout is an answer (the store's default, no value): a miss too.
    expect(get.misses).toBe(procs * (misses + timeouts));
    // Errors are counted, not timed: the histogram holds the answers (hits, misses, timeouts).
    expect(get.count).toBe(procs * (ops - errors));
    expect(decodeHistogram(get.histogram).totalCount).toBe(get.count);
    expect(get.errorMessages.sort()).toEqual(['injected failure A', 'injected failure B']);
    // Failed operations fail the backend: partial, and the message counts them.
    expect(results.backends[0]!.status).toBe('partial');
    const attempted = procs * ops;
    expect(results.backends[0]!.message).toMatch(
      new RegExp(`^${procs * errors} of ${attempted} operations failed: injected failure [AB]$`),
    );
  });

  it('a backend whose every operation fails is errored', async () => {
    const results = await run(fixture('faulty', 'errorEvery=1'), getOnly(), { procs: 1, ops: 50 });
    expect(results.backends[0]!.status).toBe('errored');
    expect(results.backends[0]!.message).toMatch(/^50 of 50 operations failed: injected failure/);
  });

  it('timeouts alone do not fail a backend', async () => {
    const results = await run(fixture('faulty', 'timeoutEvery=3,errorEvery=100000'), getOnly(), { procs: 1, ops: 30 });
    expect(results.backends[0]!.actions.get!.timeouts).toBe(10);
    expect(results.backends[0]!.actions.get!.count).toBe(30);
    expect(results.backends[0]!.status).toBe('completed');
  });

  it('analytics: no increment is lost across processes, and a backend lacking a needed capability is skipped', async () => {
    const results = await run('memory', getScenario('analytics'), { procs: 2, ops: 2_000, warmupOps: 100 });
    const memory = results.backends[0]!;
    expect(memory.status).toBe('completed');
    expect(memory.metrics?.noIncrementLost).toBe(true);
    expect(memory.metrics?.incremented).toBeGreaterThan(0);
    expect(memory.metrics?.incremented).toBe(memory.metrics?.drained);
    expect(memory.actions.incr!.count + memory.actions.pop!.count).toBe(2 * 2_000);

    const staticFiles = await run('memory', getScenario('static-files'), { procs: 1, ops: 10 });
    expect(staticFiles.backends[0]!.status).toBe('unavailable');
    expect(staticFiles.backends[0]!.message).toMatch(/lacks read/);
  });
});
