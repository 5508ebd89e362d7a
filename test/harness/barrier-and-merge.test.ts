import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../results/histogram.js';
import type { BarrierTimes } from '../../harness/run-backend.js';
import { getScenario } from '../../scenarios/registry.js';
import { fixture, run } from './helpers.js';

describe('barrier and merging (real processes)', () => {
  it('releases all workers together after all are ready, and merged counts add up exactly', async () => {
    let barrier: BarrierTimes | undefined;
    const procs = 3;
    const ops = 2_000;
    const results = await run(
      'memory',
      getScenario('talk'),
      { procs, ops, warmupOps: 50 },
      { intervalMs: 100, onBarrier: (_l, b) => (barrier = b) },
    );
    const backend = results.backends[0]!;
    expect(backend.status).toBe('completed');

    // Every worker was ready before the release, and none started before it.
    expect(barrier!.readyNs).toHaveLength(procs);
    for (const ready of barrier!.readyNs) expect(ready < barrier!.releaseNs).toBe(true);
    for (const started of barrier!.startedNs) {
      expect(started).toBeDefined();
      expect(started! >= barrier!.releaseNs).toBe(true);
    }

    // Counts from the three workers add up to exactly procs × ops, in counts and in the merged histograms.
    const actions = Object.values(backend.actions);
    expect(actions.reduce((sum, a) => sum + a.count, 0)).toBe(procs * ops);
    for (const action of actions) expect(decodeHistogram(action.histogram).totalCount).toBe(action.count);
    // The interval series holds the same operations, split by time.
    for (const [name, action] of Object.entries(backend.actions)) {
      const inIntervals = backend.intervals.reduce((sum, i) => sum + (i.actions[name]?.count ?? 0), 0);
      expect(inIntervals).toBe(action.count);
    }
    expect(backend.description?.name).toBe('memory');
  });

  it('runs for a fixed duration when ops is null', async () => {
    const results = await run(
      'memory',
      getScenario('talk'),
      { procs: 2, ops: null, durationSeconds: 0.5 },
      { intervalMs: 100 },
    );
    const backend = results.backends[0]!;
    expect(backend.status).toBe('completed');
    const total = Object.values(backend.actions).reduce((sum, a) => sum + a.count, 0);
    expect(total).toBeGreaterThan(0);
    // Several 100 ms intervals were filled.
    expect(backend.intervals.length).toBeGreaterThanOrEqual(3);
  });

  it('runs backends one after another in the order given and reports failing ones without stopping', async () => {
    const unavailable = fixture('unavailable');
    const file = await run(`/nonexistent/nope.js;${unavailable};memory`, getScenario('talk'), { procs: 1, ops: 100 });
    expect(file.backends.map((b) => b.label)).toEqual(['/nonexistent/nope.js', unavailable, 'memory']);
    // A module that cannot be imported errors; a store that cannot run here is unavailable; neither stops the run.
    expect(file.backends[0]!.status).toBe('errored');
    expect(file.backends[0]!.message).toMatch(/cannot import/);
    expect(file.backends[1]!.status).toBe('unavailable');
    expect(file.backends[1]!.message).toBe('no such server here; install it to enable this backend');
    expect(file.backends[2]!.status).toBe('completed');
  });
});
