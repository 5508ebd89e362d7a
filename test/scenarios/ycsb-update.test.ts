/**
 * YCSB's update with writeallfields=false on a key-value store: the record is one value, so
 * the harness reads it and writes it back with one field replaced (RecordLayout).
 */
import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../backends/memory.js';
import { applyParameters } from '../../scenarios/parameters.js';
import { getScenario } from '../../scenarios/registry.js';
import { Workload, preloadEntries, type Operation } from '../../scenarios/workload.js';
import { ACTIONS } from '../../scenarios/actions.js';

function loaded(scenario = getScenario('ycsb-a')): MemoryBackend {
  const backend = new MemoryBackend();
  for (const [key, value] of preloadEntries(scenario, 8)) backend.set(key, value);
  return backend;
}

/** Runs an operation as the harness does: through the definition it carries. */
function perform(backend: MemoryBackend, op: Operation): unknown {
  return op.definition.perform(backend, op);
}

function nextUpdate(workload: Workload): ReturnType<Workload['next']> {
  for (;;) {
    const op = workload.next();
    if (op.action === 'update') return op;
  }
}

describe('ycsb-a update (writeAllFields=false, the default)', () => {
  it('changes exactly the chosen 100-byte field of the 1,000-byte record', () => {
    const backend = loaded();
    const workload = new Workload(getScenario('ycsb-a'), 8, 0, 1);
    for (let i = 0; i < 50; i++) {
      const op = nextUpdate(workload);
      const before = Uint8Array.from(backend.get(op.key) as Uint8Array);
      const field = Uint8Array.from(op.value as Uint8Array);
      const answer = perform(backend, op);
      expect(ACTIONS.update.isMiss(answer)).toBe(false);
      const after = backend.get(op.key) as Uint8Array;
      expect(after.length).toBe(1_000);
      const start = op.field! * 100;
      expect(after.subarray(start, start + 100)).toEqual(field);
      expect(after.subarray(0, start)).toEqual(before.subarray(0, start));
      expect(after.subarray(start + 100)).toEqual(before.subarray(start + 100));
    }
  });

  it('writes nothing for a record that is not there, and counts a miss', () => {
    const backend = new MemoryBackend();
    const op = nextUpdate(new Workload(getScenario('ycsb-a'), 8, 0, 1));
    expect(ACTIONS.update.isMiss(perform(backend, op))).toBe(true);
    expect(backend.get(op.key)).toBeUndefined();
  });

  it('leaves the preloaded values it read untouched (a store may return the bytes it holds)', () => {
    const scenario = getScenario('ycsb-a');
    const backend = loaded(scenario);
    const op = nextUpdate(new Workload(scenario, 8, 0, 1));
    const held = backend.get(op.key) as Uint8Array;
    const copy = Uint8Array.from(held);
    perform(backend, op);
    expect(held).toEqual(copy);
  });
});

describe('writeAllFields=true', () => {
  it('sets a whole new record without reading', () => {
    const scenario = applyParameters(getScenario('ycsb-a'), { writeAllFields: 'true' });
    const backend = new MemoryBackend();
    const op = nextUpdate(new Workload(scenario, 8, 0, 1));
    expect(perform(backend, op)).toBe(true);
    expect((backend.get(op.key) as Uint8Array).length).toBe(1_000);
  });
});

describe('ycsb-f read-modify-write of one field', () => {
  it('reads the record and writes it back with one field replaced', () => {
    const scenario = getScenario('ycsb-f');
    const backend = loaded(scenario);
    const workload = new Workload(scenario, 8, 0, 1);
    let op = workload.next();
    while (op.action !== 'rmw') op = workload.next();
    const before = Uint8Array.from(backend.get(op.key) as Uint8Array);
    expect(perform(backend, op)).toEqual(before);
    const after = backend.get(op.key) as Uint8Array;
    const start = op.field! * 100;
    expect(after.subarray(start, start + 100)).toEqual(op.value);
    expect(after.subarray(0, start)).toEqual(before.subarray(0, start));
  });
});
