import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getScenario } from '../../scenarios/registry.js';
import { validateScenario } from '../../scenarios/validate-scenario.js';
import { Workload, preloadEntries } from '../../scenarios/workload.js';

/**
 * The talk and django scenarios against python-diskcache's tests/benchmark_core.py
 * and benchmark_djangocache.py. The counting rule is read from the original's own
 * output: test/reports/fixtures/diskcache-tables.txt is benchmark_core.py run with
 * `-p 2 -n 3000 -w 1000` (see diskcache-tables.py beside it).
 */
const talk = getScenario('talk');
const django = getScenario('django');

describe('talk and django: as python-diskcache benchmarks them', () => {
  it("preloads each key with its own name as value, as diskcache's cache.set(key, key)", () => {
    const entries = [...preloadEntries(talk, 7)];
    expect(entries).toEqual(Array.from({ length: 100 }, (_, i) => [String(i), String(i)]));
    // 1–2 bytes each, whatever the seed.
    expect([...preloadEntries(talk, 8)]).toEqual(entries);
    const djangoEntries = [...preloadEntries(django, 7)];
    expect(djangoEntries).toHaveLength(1_100);
    expect(djangoEntries.every(([key, value]) => key === value)).toBe(true);
  });

  it('keeps generated preload values for scenarios that do not ask for the key', () => {
    const own = validateScenario(
      { ...talk, name: 'own', values: { kind: 'counter-repeat', minRepeat: 5, maxRepeat: 5 } },
      'test',
    );
    expect([...preloadEntries(own, 1)].slice(0, 3)).toEqual([
      ['0', '00000'],
      ['1', '11111'],
      ['2', '22222'],
    ]);
    expect(() => validateScenario({ ...talk, values: { ...talk.values, preloadValue: 'name' } }, 'x.json')).toThrow(
      /"values.preloadValue" must be generated or key/,
    );
  });

  it("times n − w − 1 of diskcache's n operations per process: its own table for 2 × 3,000 with -w 1000 totals 3,998", () => {
    const fixture = readFileSync(new URL('../reports/fixtures/diskcache-tables.txt', import.meta.url), 'utf8');
    const totals = [...fixture.matchAll(/^ {4}Total +(\d+) /gm)].map((m) => Number(m[1]));
    expect(totals.length).toBeGreaterThan(0);
    for (const total of totals) expect(total).toBe(2 * (3_000 - 1_000 - 1));
  });

  it("at full size times 98,999 operations per process after 1,001 warm-up: 100,000 in all, 791,992 over 8 processes as in diskcache's published p8 table", () => {
    for (const scenario of [talk, django]) {
      expect(scenario.sizes).toEqual({ procs: 8, opsPerProcess: 100_000 - 1_000 - 1, warmupOps: 1_001 });
      expect(scenario.sizes.procs * scenario.sizes.opsPerProcess).toBe(791_992);
    }
  });

  it('builds the first timed value from count 1,001, as the counter runs on through the warm-up', () => {
    const workload = new Workload(talk, 3, 0, 8);
    for (let i = 0; i < talk.sizes.warmupOps; i++) workload.next();
    const value = workload.next().value as string;
    expect(value.length % 4).toBe(0);
    expect(value).toBe('1001'.repeat(value.length / 4));
  });
});
