import { describe, expect, it } from 'vitest';
import { applyPlacement, availableCpus, planPlacement, PlacementError } from '../../harness/cpu-placement.js';
import { readCpusAllowed } from '../../harness/proc-stat.js';
import { getOnly, run } from './helpers.js';

const cpus = availableCpus();

describe('placement plans', () => {
  it('same puts everything on one CPU; separate keeps the server apart', () => {
    expect(planPlacement('same', 3, [0, 1], true)).toEqual({ mode: 'same', workers: ['0', '0', '0'], server: '0' });
    expect(planPlacement('separate', 3, [0, 1, 2], true)).toEqual({ mode: 'separate', workers: ['1', '2', '1'], server: '0' });
    // No server: one CPU per worker, round-robin over all.
    expect(planPlacement('separate', 3, [0, 1], false).workers).toEqual(['0', '1', '0']);
    expect(() => planPlacement('separate', 1, [0], true)).toThrow(PlacementError);
  });

  it('records a pid that is gone as not applied, with the reason', () => {
    const placement = applyPlacement({ mode: 'same', workers: ['0'], server: '0' }, [2 ** 22 + 12345], undefined);
    expect(placement.applied.workers).toEqual([null]);
    expect(placement.error).toMatch(/taskset|ended/);
  });
});

describe('--pin (real workers)', () => {
  it('records the affinity the kernel applied to each worker', async (ctx) => {
    if (cpus.length < 2 || readCpusAllowed(process.pid) === undefined) {
      console.log('skipped: needs /proc/<pid>/status and 2 CPUs');
      return ctx.skip();
    }
    const same = await run('memory', getOnly(), { procs: 2, ops: 200 }, { pin: 'same', callFloors: false });
    const placement = same.backends[0]!.placement!;
    expect(placement.error).toBeUndefined();
    expect(placement.requested.workers).toEqual([String(cpus[0]), String(cpus[0])]);
    expect(placement.applied.workers).toEqual(placement.requested.workers);
    expect(same.run.measurement?.pin).toBe('same');

    const both = await run('memory', getOnly(), { procs: 2, ops: 200 }, { pin: 'both', callFloors: false });
    expect(both.backends.map((b) => b.label)).toEqual(['memory @same-cpu', 'memory @separate-cpus']);
    expect(both.backends[1]!.placement!.applied.workers).toEqual([String(cpus[0]), String(cpus[1])]);
  });

  it('pins a local redis server apart from its client with --pin separate', async (ctx) => {
    if (cpus.length < 2) {
      console.log(`skipped: --pin separate needs 2 CPUs, this process may use ${cpus.length}`);
      return ctx.skip(`--pin separate needs 2 CPUs, this process may use ${cpus.length}`);
    }
    const results = await run('redis', getOnly(), { procs: 1, ops: 200 }, { pin: 'separate', callFloors: false });
    const backend = results.backends[0]!;
    if (backend.status === 'unavailable') {
      console.log(`skipped: ${backend.message}`);
      if (process.env.CI === 'true') throw new Error(`redis is required under CI: ${backend.message}`);
      return ctx.skip(`redis unavailable here: ${backend.message}`);
    }
    const placement = backend.placement!;
    expect(placement.applied).toEqual({ workers: [String(cpus[1])], server: String(cpus[0]) });
    expect(backend.hostNoise!.tracked.map((t) => t.role).sort()).toEqual(['parent', 'server', 'worker']);
  });
});
