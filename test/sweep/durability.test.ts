import { describe, expect, it } from 'vitest';
import { getBackendFactory } from '../../backends/registry.js';
import type { ResultsFile } from '../../results/results.js';
import { getScenario } from '../../scenarios/registry.js';
import { confirmationId } from '../../sweep/confirm.js';
import { checkApplyDurability, durabilityOf, durabilityRank, durabilityWarning } from '../../sweep/durability.js';
import { parseGridArgs } from '../../sweep/grid.js';
import { parseObjective } from '../../sweep/objective.js';
import { planSweep } from '../../sweep/plan.js';
import { summarizeSweep } from '../../sweep/summary.js';
import { fakeResults } from './fixtures.js';

const sqlite = getBackendFactory('sqlite');
const defaults = { journalMode: 'wal', synchronous: 'normal' } as const;

describe('durability of a configuration against the defaults', () => {
  it('ranks what survives a crash', () => {
    expect(durabilityRank({ journalMode: 'memory', synchronous: 'full' })).toBeLessThan(
      durabilityRank({ journalMode: 'wal', synchronous: 'off' }),
    );
    expect(durabilityRank({ journalMode: 'wal', synchronous: 'off' })).toBeLessThan(
      durabilityRank({ journalMode: 'delete', synchronous: 'normal' }),
    );
    expect(durabilityRank({ journalMode: 'delete', synchronous: 'normal' })).toBeLessThan(durabilityRank(defaults));
    expect(durabilityRank(defaults)).toBeLessThan(durabilityRank({ journalMode: 'delete', synchronous: 'full' }));
  });

  it.each([
    [{ journalMode: 'wal', synchronous: 'off' }, /synchronous=off means an OS crash or power loss can corrupt/],
    [
      { journalMode: 'memory', synchronous: 'normal' },
      /journal_mode=memory .* application crash mid-write can corrupt/,
    ],
    [{ journalMode: 'off', synchronous: 'full' }, /no journal on disk/],
    [{ journalMode: 'delete', synchronous: 'normal' }, /rollback journal without synchronous=full/],
  ] as const)('%j lowers it, in plain words', (chosen, pattern) => {
    expect(durabilityWarning(chosen, defaults)).toMatch(pattern);
    expect(durabilityWarning(chosen, defaults)).toMatch(
      /^lowers durability versus the defaults: .* the defaults \(journal_mode=wal synchronous=normal\)/,
    );
  });

  it.each([
    [defaults],
    [{ journalMode: 'wal', synchronous: 'full' }],
    [{ journalMode: 'delete', synchronous: 'full' }],
    [{ journalMode: 'truncate', synchronous: 'extra' }],
  ] as const)('%j does not', (chosen) => {
    expect(durabilityWarning(chosen, defaults)).toBeUndefined();
  });

  it('reads a combination: swept values, defaults for the rest', () => {
    const plan = planSweep({
      scenario: getScenario('talk'),
      parameters: {},
      factory: sqlite,
      grid: parseGridArgs(['synchronous=off,full'], sqlite),
      repeat: 1,
      seed: 1,
      sizes: { procs: 1, ops: 10, warmupOps: 0 },
    });
    expect(plan.combinations.map((c) => durabilityOf(c, plan.grid, sqlite))).toEqual([
      { journalMode: 'wal', synchronous: 'off' },
      { journalMode: 'wal', synchronous: 'full' },
      { journalMode: 'wal', synchronous: 'normal' }, // the added defaults
    ]);
  });
});

describe('a sweep that recommends synchronous=off', () => {
  const plan = planSweep({
    scenario: getScenario('talk'),
    parameters: {},
    factory: sqlite,
    grid: parseGridArgs(['synchronous=off,full'], sqlite),
    repeat: 3,
    seed: 1,
    sizes: { procs: 1, ops: 10, warmupOps: 0 },
  });
  const p99 = (label: string): number => (label.includes('off') ? 1000 : label.includes('full') ? 9000 : 5000);
  const results = new Map<string, ResultsFile>();
  for (const run of plan.runs) {
    const c = plan.combinations[run.combination]!;
    results.set(run.id, fakeResults(c.backend, c.procs, { get: { p99: p99(c.label) + run.repeat } }));
  }
  const confirmations = new Map<string, ResultsFile>();
  for (const c of [plan.combinations[0]!, plan.combinations[2]!]) {
    for (let n = 1; n <= 6; n++)
      confirmations.set(
        confirmationId(c.index, n),
        fakeResults(c.backend, c.procs, { get: { p99: p99(c.label) + n } }),
      );
  }
  const summary = summarizeSweep(plan, results, parseObjective('get.p99'), confirmations);

  it('warns in the recommendation', () => {
    expect(summary.recommended.recommended.label).toBe('synchronous=off');
    expect(summary.recommended.durability).toMatch(
      /^lowers durability versus the defaults: journal_mode=wal synchronous=off/,
    );
  });

  it('--apply refuses it unless --allow-lower-durability is given', () => {
    expect(() => checkApplyDurability(summary.recommended, '/some/cache', false)).toThrow(
      /--apply refused: synchronous=off lowers durability .* Nothing was written to \/some\/cache; add --allow-lower-durability/,
    );
    expect(() => checkApplyDurability(summary.recommended, '/some/cache', true)).not.toThrow();
  });

  it('a recommendation that keeps the defaults carries no warning', () => {
    const keep = summarizeSweep(plan, results, parseObjective('get.p99'));
    expect(keep.recommended.recommended.label).toBe('defaults');
    expect(keep.recommended.durability).toBeNull();
    expect(() => checkApplyDurability(keep.recommended, '/some/cache', false)).not.toThrow();
  });
});
