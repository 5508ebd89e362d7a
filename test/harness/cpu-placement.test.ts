import { describe, expect, it } from 'vitest';
import { applyPlacement, availableCpus, planPlacement, PlacementError } from '../../harness/cpu-placement.js';
import { parseExplicitPin, parsePinChoice } from '../../harness/pin-choice.js';
import { readCpusAllowed } from '../../harness/proc-stat.js';
import { getOnly, run } from './helpers.js';

const cpus = availableCpus();

describe('placement plans', () => {
  it('same puts everything on one CPU; separate keeps the server apart', () => {
    expect(planPlacement('same', 3, [0, 1], true)).toEqual({ mode: 'same', workers: ['0', '0', '0'], server: '0' });
    expect(planPlacement('separate', 3, [0, 1, 2], true)).toEqual({
      mode: 'separate',
      workers: ['1', '2', '1'],
      server: '0',
    });
    // No server: one CPU per worker, round-robin over all.
    expect(planPlacement('separate', 3, [0, 1], false).workers).toEqual(['0', '1', '0']);
    expect(() => planPlacement('separate', 1, [0], true)).toThrow(PlacementError);
  });

  it('explicit lists: every worker gets the client list, the server its own; CPUs this process may not use are refused', () => {
    expect(planPlacement({ client: '1', server: '0' }, 2, [0, 1], true)).toEqual({
      mode: 'explicit',
      workers: ['1', '1'],
      server: '0',
    });
    expect(planPlacement({ client: '0-1' }, 1, [0, 1], true)).toEqual({
      mode: 'explicit',
      workers: ['0-1'],
      server: undefined,
    });
    expect(() => planPlacement({ client: '0', server: '7' }, 1, [0, 1], true)).toThrow(
      /--pin server=7: CPU 7 is not one this process may use \(0,1\)/,
    );
  });

  it('records a pid that is gone as not applied, with the reason', () => {
    const placement = applyPlacement({ mode: 'same', workers: ['0'], server: '0' }, [2 ** 22 + 12345], undefined);
    expect(placement.applied.workers).toEqual([null]);
    expect(placement.error).toMatch(/taskset|ended/);
  });
});

describe('--pin text', () => {
  it('accepts the named placements and explicit client/server CPU lists, in canonical form', () => {
    for (const name of ['same', 'separate', 'both']) expect(parsePinChoice(name)).toBe(name);
    expect(parsePinChoice('client=0,server=1')).toBe('client=0,server=1');
    expect(parsePinChoice(' server=1, client=0 ')).toBe('client=0,server=1');
    expect(parseExplicitPin('client=0-1,3,server=2')).toEqual({ client: '0-1,3', server: '2' });
    expect(parseExplicitPin('client=2')).toEqual({ client: '2' });
    expect(parseExplicitPin('both')).toBeUndefined();
  });

  it('names what is wrong with bad text', () => {
    expect(() => parsePinChoice('somewhere')).toThrow(/expected same, separate, both, or client=CPUS\[,server=CPUS\]/);
    expect(() => parsePinChoice('server=1')).toThrow(/client=CPUS is needed/);
    expect(() => parsePinChoice('client=')).toThrow(/client= needs CPUs/);
    expect(() => parsePinChoice('client=a')).toThrow(/"a" is not a CPU/);
    expect(() => parsePinChoice('client=3-1')).toThrow(/"3-1" is not a CPU/);
    expect(() => parsePinChoice('client=0,client=1')).toThrow(/client is given twice/);
    expect(() => parsePinChoice('cpu=1')).toThrow(/unknown role "cpu"/);
    // With the CPUs this process may use, others are refused before anything runs.
    expect(() => parsePinChoice('client=0,server=9', [0, 1])).toThrow(/CPU 9 is not one this process may use/);
    expect(parsePinChoice('client=0,server=1', [0, 1])).toBe('client=0,server=1');
  });
});

describe('--pin (real workers)', () => {
  it('pins workers on explicit CPUs and records the choice', async (ctx) => {
    if (cpus.length < 2 || readCpusAllowed(process.pid) === undefined) {
      console.log('skipped: needs /proc/<pid>/status and 2 CPUs');
      return ctx.skip('needs /proc/<pid>/status and 2 CPUs');
    }
    const cpu = String(cpus[1]);
    const file = await run(
      'memory',
      getOnly(),
      { procs: 2, ops: 200 },
      { pin: parsePinChoice(`client=${cpu}`), callFloors: false },
    );
    const placement = file.backends[0]!.placement!;
    expect(placement.error).toBeUndefined();
    expect(placement.mode).toBe('explicit');
    expect(placement.applied.workers).toEqual([cpu, cpu]);
    // No local server: nothing requested or applied for one.
    expect(placement.requested.server).toBeUndefined();
    expect(file.run.measurement?.pin).toBe(`client=${cpu}`);
  });

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

    // Explicit lists the other way round: the server lands where it was told.
    const pin = parsePinChoice(`client=${cpus[0]},server=${cpus[1]}`);
    const explicit = (await run('redis', getOnly(), { procs: 1, ops: 200 }, { pin, callFloors: false })).backends[0]!
      .placement!;
    expect(explicit.mode).toBe('explicit');
    expect(explicit.requested).toEqual({ workers: [String(cpus[0])], server: String(cpus[1]) });
    expect(explicit.applied).toEqual({ workers: [String(cpus[0])], server: String(cpus[1]) });
  });
});
