import { describe, expect, it } from 'vitest';
import { getBackendFactory } from '../../backends/registry.js';
import { seededRandom } from '../../shared/rng.js';
import { getScenario } from '../../scenarios/registry.js';
import { parseGridArgs } from '../../sweep/grid.js';
import { backendChoice, planSweep, runParameters, shuffle } from '../../sweep/plan.js';

const sqlite = getBackendFactory('sqlite');
const input = (tokens: string[], extra: Partial<Parameters<typeof planSweep>[0]> = {}) => ({
  scenario: getScenario('talk'),
  parameters: {},
  factory: sqlite,
  grid: parseGridArgs(tokens, sqlite),
  repeat: 3,
  seed: 7,
  sizes: { procs: 2, ops: 100, warmupOps: 10 },
  ...extra,
});

describe('planSweep', () => {
  it('runs every combination × repeat once, and adds the defaults when the grid lacks them', () => {
    const plan = planSweep(input(['journal_mode=delete,truncate', 'mmap_size=0,1MiB']));
    expect(plan.combinations).toHaveLength(5);
    const added = plan.combinations.at(-1)!;
    expect(added).toMatchObject({ label: 'defaults', backend: 'sqlite', isDefault: true, added: true });
    expect(plan.combinations.filter((c) => c.isDefault)).toHaveLength(1);
    expect(plan.runs).toHaveLength(15);
    expect(new Set(plan.runs.map((r) => r.id)).size).toBe(15);
    const c0 = plan.combinations[0]!;
    expect(c0.backend).toBe('sqlite:journal_mode=delete,mmap_size=0');
    expect(backendChoice(c0)).toEqual({
      ref: { kind: 'registry', name: 'sqlite' },
      options: { journal_mode: 'delete', mmap_size: '0' },
      label: 'sqlite:journal_mode=delete,mmap_size=0',
    });
  });

  it('recognises the defaults inside the grid (whatever the spelling) instead of adding them', () => {
    const plan = planSweep(input(['journal_mode=WAL,delete', 'mmap_size=0KiB']));
    expect(plan.combinations).toHaveLength(2);
    expect(plan.combinations.map((c) => c.isDefault)).toEqual([true, false]);
  });

  it("takes a backend's own documented defaults as the reference (fanout: 8 shards, 10 ms timeout)", () => {
    const fanout = getBackendFactory('fanout');
    const plan = planSweep(
      input([], { factory: fanout, grid: parseGridArgs(['shards=2,8', 'timeout=10ms,0.1'], fanout) }),
    );
    expect(plan.combinations).toHaveLength(4);
    expect(plan.combinations.filter((c) => c.isDefault).map((c) => c.label)).toEqual(['shards=8 timeout=10ms']);
    expect(plan.combinations[0]!.backend).toBe('fanout:shards=2,timeout=10ms');
  });

  it("adds one defaults reference per process count, and runs use the combination's procs", () => {
    const plan = planSweep(input(['synchronous=off', 'procs=1,4']));
    const defaults = plan.combinations.filter((c) => c.added);
    expect(defaults.map((c) => [c.label, c.procs])).toEqual([
      ['defaults procs=1', 1],
      ['defaults procs=4', 4],
    ]);
    const run = plan.runs.find((r) => plan.combinations[r.combination]!.procs === 4)!;
    expect(runParameters(plan, run)).toMatchObject({ procs: 4, ops: 100, warmupOps: 10, loadModel: 'closed' });
  });

  it('gives all combinations of a repeat the same seed (paired), and different repeats different seeds', () => {
    const plan = planSweep(input(['journal_mode=wal,delete']));
    const seeds = new Map<number, Set<number>>();
    for (const r of plan.runs) seeds.set(r.repeat, (seeds.get(r.repeat) ?? new Set()).add(r.seed));
    expect([...seeds.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set([...seeds.values()].map((s) => [...s][0])).size).toBe(3);
  });

  it('is the same plan for the same inputs, a different order for another seed, and fingerprints what runs measure', () => {
    const a = planSweep(input(['journal_mode=wal,delete', 'synchronous=off,normal,full']));
    const b = planSweep(input(['journal_mode=wal,delete', 'synchronous=off,normal,full']));
    const c = planSweep(input(['journal_mode=wal,delete', 'synchronous=off,normal,full'], { seed: 8 }));
    expect(b.runs).toEqual(a.runs);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.runs.map((r) => r.id)).not.toEqual(a.runs.map((r) => r.id));
    expect(c.fingerprint).not.toBe(a.fingerprint);
    expect(
      planSweep(input(['journal_mode=wal,delete', 'synchronous=off,normal,full'], { repeat: 2 })).fingerprint,
    ).not.toBe(a.fingerprint);
    // Same values in another spelling are the same sweep.
    expect(planSweep(input(['sqlite_journal_mode=wal,delete', 'synchronous=off,normal,full'])).fingerprint).toBe(
      a.fingerprint,
    );
    // The order is shuffled, not grid order.
    expect(a.runs.map((r) => r.id)).not.toEqual([...a.runs.map((r) => r.id)].sort());
  });
});

describe('shuffle', () => {
  it('is a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect([...shuffle([...items], seededRandom(3))].sort((x, y) => x - y)).toEqual(items);
  });

  it('gives each of the 24 orders of 4 items about equally often (no sort-by-random bias)', () => {
    const random = seededRandom(11);
    const counts = new Map<string, number>();
    const trials = 24_000;
    for (let i = 0; i < trials; i++) {
      const order = shuffle([0, 1, 2, 3], random).join('');
      counts.set(order, (counts.get(order) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    // Expected 1000 each; the binomial sd is ~31, so ±15% is > 4.5 sd while a biased shuffle is off by far more.
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(150);
    // Position 0 gets each item a quarter of the time.
    const first = [0, 0, 0, 0];
    for (const [order, n] of counts) first[Number(order[0])]! += n;
    for (const n of first) expect(Math.abs(n - trials / 4)).toBeLessThan(300);
  });
});
