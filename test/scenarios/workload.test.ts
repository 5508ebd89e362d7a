import { describe, expect, it } from 'vitest';
import { Zipfian } from '../../scenarios/key-chooser.js';
import { applyParameters } from '../../scenarios/parameters.js';
import { SCENARIOS, getScenario } from '../../scenarios/registry.js';
import { Rng } from '../../scenarios/rng.js';
import { validateScenario } from '../../scenarios/validate-scenario.js';
import { Workload, preloadEntries } from '../../scenarios/workload.js';

function sequence(workload: Workload, n: number): string[] {
  return Array.from({ length: n }, () => {
    const op = workload.next();
    return `${op.action} ${op.key} ${typeof op.value === 'string' ? op.value : op.value?.length}`;
  });
}

describe('Workload', () => {
  const talk = getScenario('talk');

  it('is a pure function of seed and worker index', () => {
    expect(sequence(new Workload(talk, 1, 0, 8), 500)).toEqual(sequence(new Workload(talk, 1, 0, 8), 500));
    expect(sequence(new Workload(talk, 2, 0, 8), 500)).not.toEqual(sequence(new Workload(talk, 1, 0, 8), 500));
    expect(sequence(new Workload(talk, 1, 1, 8), 500)).not.toEqual(sequence(new Workload(talk, 1, 0, 8), 500));
  });

  it('follows the talk: 100 keys, counter values repeated 1–99 times, 90/9/1 mix', () => {
    const workload = new Workload(talk, 9, 0, 1);
    const counts: Record<string, number> = {};
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const op = workload.next();
      counts[op.action] = (counts[op.action] ?? 0) + 1;
      const key = Number(op.key);
      expect(key >= 0 && key < 100).toBe(true);
      const value = op.value as string;
      const repeats = value.length / String(i).length;
      expect(Number.isInteger(repeats) && repeats >= 1 && repeats <= 99).toBe(true);
      expect(value.startsWith(String(i))).toBe(true);
    }
    expect(Math.abs(counts.get! / n - 0.9)).toBeLessThan(0.01);
    expect(Math.abs(counts.set! / n - 0.09)).toBeLessThan(0.01);
    expect(Math.abs(counts.delete! / n - 0.01)).toBeLessThan(0.003);
  });

  it('preloads every key with the same values in every call', () => {
    const a = [...preloadEntries(talk, 3)];
    expect(a.map(([k]) => k)).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect([...preloadEntries(talk, 3)]).toEqual(a);
  });

  it('gives YCSB D inserts new, non-colliding keys per worker', () => {
    const d = getScenario('ycsb-d');
    const inserted = new Set<string>();
    for (let worker = 0; worker < 3; worker++) {
      const workload = new Workload(d, 5, worker, 3);
      for (let i = 0; i < 2_000; i++) {
        const op = workload.next();
        if (op.action !== 'insert') continue;
        expect(Number(op.key.slice(4))).toBeGreaterThanOrEqual(1_000);
        expect(inserted.has(op.key)).toBe(false);
        inserted.add(op.key);
      }
    }
    expect(inserted.size).toBeGreaterThan(100);
  });

  it('YCSB D reads only keys that exist: preloaded ones and the worker\'s own completed inserts', () => {
    const d = getScenario('ycsb-d');
    const procs = 4;
    let readsOfInserts = 0;
    for (let worker = 0; worker < procs; worker++) {
      const workload = new Workload(d, 3, worker, procs);
      const mine = new Set<string>();
      for (let i = 0; i < 5_000; i++) {
        const op = workload.next();
        const index = Number(op.key.slice(4));
        if (op.action === 'insert') {
          // Interleaved per worker, so inserts never collide.
          expect((index - 1_000) % procs).toBe(worker);
          mine.add(op.key);
        } else if (index >= 1_000) {
          // Another worker's insert may not have happened yet; only our own earlier ones are safe.
          expect(mine.has(op.key), `worker ${worker} read ${op.key} before inserting it`).toBe(true);
          readsOfInserts++;
        }
      }
    }
    // "latest" does favour the new keys.
    expect(readsOfInserts).toBeGreaterThan(1_000);
  });

  it('YCSB E scans consecutive keys', () => {
    const workload = new Workload(getScenario('ycsb-e'), 5, 0, 1);
    for (let i = 0; i < 200; i++) {
      const op = workload.next();
      if (op.action !== 'scan') continue;
      expect(op.keys!.length).toBeGreaterThanOrEqual(1);
      expect(op.keys!.length).toBeLessThanOrEqual(100);
      expect(op.keys![0]).toBe(op.key);
    }
  });
});

describe('Zipfian', () => {
  it('favours low ranks: rank 0 is the most frequent and the head holds most draws', () => {
    const zipf = new Zipfian(1_000, 0.99);
    const rng = new Rng(1);
    const counts = new Array<number>(1_000).fill(0);
    for (let i = 0; i < 50_000; i++) counts[zipf.next(rng)]!++;
    expect(Math.max(...counts)).toBe(counts[0]);
    const head = counts.slice(0, 10).reduce((a, b) => a + b, 0);
    // For theta 0.99 over 1,000 items the first 10 ranks carry about 39% of the mass.
    expect(head / 50_000).toBeGreaterThan(0.3);
    expect(head / 50_000).toBeLessThan(0.5);
  });
});

describe('scenario definitions', () => {
  it('every built-in scenario validates', () => {
    for (const scenario of SCENARIOS.values()) expect(validateScenario(scenario, scenario.name)).toBe(scenario);
  });

  it('validation names the field at fault', () => {
    const bad = { ...getScenario('talk'), mix: { get: 1, fetch: 1 } };
    expect(() => validateScenario(bad, 'x.json')).toThrow(/scenario x\.json: "mix\.fetch" is not an action/);
    expect(() => validateScenario({ ...getScenario('talk'), keys: { count: 0, distribution: { kind: 'uniform' } } }, 'y')).toThrow(/keys\.count/);
  });

  it('applies --param overrides without touching the built-in', () => {
    const talk = getScenario('talk');
    const changed = applyParameters(talk, { keys: '500', ratio: '4', theta: '0.5', distribution: 'zipfian' });
    expect(changed.keys.count).toBe(500);
    expect(changed.mix).toEqual({ get: 4, set: 1 });
    expect(talk.keys.count).toBe(100);
    expect(() => applyParameters(talk, { nope: '1' })).toThrow(/unknown parameter/);
  });
});
