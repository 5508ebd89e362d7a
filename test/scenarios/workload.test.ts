import { describe, expect, it } from 'vitest';
import { applyParameters } from '../../scenarios/parameters.js';
import { SCENARIOS, getScenario } from '../../scenarios/registry.js';
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

  // Ordered key names (insertorder=ordered) show the key indexes; the default hashed names are tested against YCSB's.
  const orderedD = applyParameters(getScenario('ycsb-d'), { insertOrder: 'ordered' });

  it('gives YCSB D inserts new, non-colliding keys per worker', () => {
    const d = orderedD;
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

  it("YCSB D reads only keys that exist: preloaded ones and the worker's own completed inserts", () => {
    const d = orderedD;
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

  it('YCSB E scans the next keys in sorted order from the start key, over keys the worker knows exist', () => {
    const e = getScenario('ycsb-e');
    const preloaded = [...preloadEntries(e, 5)].map(([key]) => key);
    const preloadedSet = new Set(preloaded);
    const known = new Set(preloaded);
    const sorted = [...preloaded].sort();
    const workload = new Workload(e, 5, 1, 2, 20_000);
    let scans = 0;
    let scansFromInserts = 0;
    for (let i = 0; i < 20_000; i++) {
      const op = workload.next();
      if (op.action === 'insert') {
        expect(known.has(op.key)).toBe(false);
        known.add(op.key);
        const at = sorted.findIndex((k) => k > op.key);
        sorted.splice(at === -1 ? sorted.length : at, 0, op.key);
        continue;
      }
      scans++;
      const keys = op.keys!;
      expect(keys[0]).toBe(op.key);
      expect(keys.length).toBeGreaterThanOrEqual(1);
      expect(keys.length).toBeLessThanOrEqual(100);
      // Exactly the next keys of the sorted key space (fewer at its end; no wrap-around).
      const from = sorted.indexOf(op.key);
      expect(from).toBeGreaterThanOrEqual(0);
      expect(keys).toEqual(sorted.slice(from, from + keys.length));
      if (!preloadedSet.has(op.key)) scansFromInserts++;
    }
    // The zipfian reaches inserted records too (sized for them, as CoreWorkload does).
    expect(scans).toBeGreaterThan(18_000);
    expect(scansFromInserts).toBeGreaterThan(10);
  });

  it('YCSB updates write one 100-byte field by default, the whole record with writeAllFields=true', () => {
    const a = getScenario('ycsb-a');
    const one = new Workload(a, 4, 0, 1);
    const fields = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const op = one.next();
      if (op.action !== 'update') continue;
      expect((op.value as Uint8Array).length).toBe(100);
      fields.add(op.field!);
    }
    expect([...fields].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const all = new Workload(applyParameters(a, { writeAllFields: 'true' }), 4, 0, 1);
    for (let i = 0; i < 200; i++) {
      const op = all.next();
      if (op.action === 'update') {
        expect(op.field).toBeUndefined();
        expect((op.value as Uint8Array).length).toBe(1_000);
      }
    }
  });
});

describe('scenario definitions', () => {
  it('every built-in scenario validates', () => {
    for (const scenario of SCENARIOS.values()) expect(validateScenario(scenario, scenario.name)).toBe(scenario);
  });

  it('validation names the field at fault', () => {
    const bad = { ...getScenario('talk'), mix: { get: 1, fetch: 1 } };
    expect(() => validateScenario(bad, 'x.json')).toThrow(/scenario x\.json: "mix\.fetch" is not an action/);
    expect(() =>
      validateScenario({ ...getScenario('talk'), keys: { count: 0, distribution: { kind: 'uniform' } } }, 'y'),
    ).toThrow(/keys\.count/);
  });

  it('applies --param overrides without touching the built-in', () => {
    const talk = getScenario('talk');
    const changed = applyParameters(talk, { keys: '500', ratio: '4', theta: '0.5', distribution: 'zipfian' });
    expect(changed.keys.count).toBe(500);
    expect(changed.mix).toEqual({ get: 4, set: 1 });
    expect(talk.keys.count).toBe(100);
    expect(() => applyParameters(talk, { nope: '1' })).toThrow(/unknown parameter/);
  });

  it('YCSB parameters: insertOrder, writeAllFields and fieldCount, with clear errors', () => {
    const a = getScenario('ycsb-a');
    expect(applyParameters(a, { insertOrder: 'ordered' }).keys.order).toBe('ordered');
    expect(applyParameters(a, { writeAllFields: 'true', fieldCount: '4' }).record).toEqual({
      fieldCount: 4,
      writeAllFields: true,
    });
    expect(a.record).toEqual({ fieldCount: 10, writeAllFields: false });
    expect(() => applyParameters(a, { insertOrder: 'random' })).toThrow(
      /insertOrder=random: expected hashed or ordered/,
    );
    expect(() => applyParameters(a, { writeAllFields: 'yes' })).toThrow(/expected true or false/);
    expect(() => applyParameters(getScenario('talk'), { writeAllFields: 'true' })).toThrow(/no YCSB records/);
  });

  it('validation refuses records without byte values and latest over one key', () => {
    const a = getScenario('ycsb-a');
    expect(() =>
      validateScenario({ ...a, values: { kind: 'counter-repeat', minRepeat: 1, maxRepeat: 2 } }, 'r'),
    ).toThrow(/"record" needs byte values/);
    expect(() => validateScenario({ ...a, record: { fieldCount: 2_000, writeAllFields: false } }, 'r')).toThrow(
      /a field would have no bytes/,
    );
    expect(() => validateScenario({ ...a, keys: { ...a.keys, order: 'sorted' } }, 'r')).toThrow(/"keys\.order"/);
    expect(() =>
      validateScenario({ ...getScenario('ycsb-d'), keys: { count: 1, distribution: { kind: 'latest' } } }, 'r'),
    ).toThrow(/at least 2 for the latest/);
  });
});
