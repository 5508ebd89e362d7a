/**
 * Our YCSB request distributions against counts YCSB's own generator classes produced
 * (fixtures/ycsb/generate.sh, 10^7 draws each): a chi-square test of homogeneity between our
 * draws and YCSB's must not reject at the 0.1% level. The random sources differ (our seeded
 * Rng, Java's ThreadLocalRandom), so the samples are compared, not the sequences.
 */
import { describe, expect, it } from 'vitest';
import { createKeyChooser } from '../../scenarios/key-chooser.js';
import { getScenario } from '../../scenarios/registry.js';
import { Rng } from '../../shared/rng.js';
import { Workload } from '../../scenarios/workload.js';
import { ScrambledZipfian } from '../../scenarios/ycsb/scrambled-zipfian.js';
import { YcsbZipfian } from '../../scenarios/ycsb/zipfian.js';
import fixture from './fixtures/ycsb/ycsb-generators.json' with { type: 'json' };
import { chiSquareHomogeneity } from './helpers/chi-square.js';

const RECORDS = 1_000;
const DRAWS = 300_000;
const ALPHA = 0.001;

function shares(counts: readonly number[]): { distinct: number; top: number; top10: number } {
  const total = counts.reduce((s, x) => s + x, 0);
  const sorted = [...counts].sort((a, b) => b - a);
  return {
    distinct: counts.filter((x) => x > 0).length,
    top: sorted[0]! / total,
    top10: sorted.slice(0, 10).reduce((s, x) => s + x, 0) / total,
  };
}

describe("the zipfian constants are YCSB's", () => {
  it("scrambled: 10^10 + 1 items, YCSB's zeta constant, its eta and alpha", () => {
    const ours = new ScrambledZipfian(RECORDS + 1).constants;
    const ycsb = fixture.scrambledZipfian;
    expect(ours.items).toBe(ycsb.items);
    expect(ours.zetan).toBe(ycsb.zetan);
    expect(ours.zeta2theta).toBe(ycsb.zeta2theta);
    // Math.pow may differ from Java's in the last bits.
    expect(ours.eta).toBeCloseTo(ycsb.eta, 14);
    expect(ours.alpha).toBeCloseTo(ycsb.alpha, 10);
  });

  it('latest: built over lastValue = 999 items, zeta summed as YCSB sums it', () => {
    const ours = new YcsbZipfian(RECORDS - 1, 0.99).constants;
    expect(ours.items).toBe(fixture.latestZipfian.items);
    expect(ours.zetan).toBe(fixture.latestZipfian.zetan);
    expect(ours.eta).toBeCloseTo(fixture.latestZipfian.eta, 14);
  });
});

describe('scrambled zipfian key frequencies match YCSB', () => {
  it('workload C: every one of the 1,000 records, each as often as YCSB requests it', () => {
    const chooser = createKeyChooser({ kind: 'zipfian', theta: 0.99 }, RECORDS, 0);
    const rng = new Rng(11);
    const counts = new Array<number>(RECORDS).fill(0);
    for (let i = 0; i < DRAWS; i++) counts[chooser.next(rng, RECORDS)]!++;
    const ours = shares(counts);
    const ycsb = shares(fixture.workloadCKeyCounts);
    expect(ycsb).toMatchObject({ distinct: 1_000 });
    expect(ours.distinct).toBe(1_000);
    expect(ours.top).toBeCloseTo(ycsb.top, 2);
    expect(ours.top10).toBeCloseTo(ycsb.top10, 2);
    // Key by key (the same keys are hot, not just the same shape).
    const test = chiSquareHomogeneity(fixture.workloadCKeyCounts, counts);
    expect(test.pValue, `chi-square ${test.statistic.toFixed(0)} on ${test.degreesOfFreedom} df`).toBeGreaterThan(
      ALPHA,
    );
  });

  it("workload E's sizing: records plus ⌊1,000 ops × 5% × 2⌋ expected inserts, all inserted", () => {
    // With every expected insert done, no draw is refused: the raw ScrambledZipfianGenerator(0, 1,100).
    const chooser = createKeyChooser({ kind: 'zipfian', theta: 0.99 }, RECORDS, 100);
    const rng = new Rng(12);
    const counts = new Array<number>(fixture.sizedItemCount).fill(0);
    for (let i = 0; i < DRAWS; i++) counts[chooser.next(rng, fixture.sizedItemCount)]!++;
    const test = chiSquareHomogeneity(fixture.sizedKeyCounts, counts);
    expect(test.pValue, `chi-square ${test.statistic.toFixed(0)} on ${test.degreesOfFreedom} df`).toBeGreaterThan(
      ALPHA,
    );
  });

  it('draws only keys that exist: items beyond the known ones are drawn again', () => {
    const chooser = createKeyChooser({ kind: 'zipfian', theta: 0.99 }, RECORDS, 100);
    const rng = new Rng(13);
    for (let i = 0; i < 20_000; i++) expect(chooser.next(rng, RECORDS + 7)).toBeLessThan(RECORDS + 7);
  });
});

describe('latest (workload D) matches YCSB', () => {
  it('without inserts: the distance from the newest record, as SkewedLatestGenerator draws it', () => {
    const chooser = createKeyChooser({ kind: 'latest', theta: 0.99 }, RECORDS);
    const rng = new Rng(14);
    const distance = new Array<number>(RECORDS).fill(0);
    for (let i = 0; i < DRAWS; i++) distance[RECORDS - 1 - chooser.next(rng, RECORDS)]!++;
    // YCSB never draws record 0 (distance 999).
    expect(distance[RECORDS - 1]).toBe(0);
    const test = chiSquareHomogeneity(fixture.latestDistanceCounts, distance);
    expect(test.pValue, `chi-square ${test.statistic.toFixed(0)} on ${test.degreesOfFreedom} df`).toBeGreaterThan(
      ALPHA,
    );
  });

  it("with D's 5% inserts over 10^6 operations: the zipfian grows as YCSB's does", () => {
    const { operations, insertShare, distanceCounts } = fixture.latestWithInserts;
    const chooser = createKeyChooser({ kind: 'latest', theta: 0.99 }, RECORDS);
    const rng = new Rng(15);
    const distance = new Array<number>(distanceCounts.length).fill(0);
    let known = RECORDS;
    for (let i = 0; i < operations; i++) {
      if (rng.nextFloat() < insertShare) known++;
      else distance[Math.min(RECORDS, known - 1 - chooser.next(rng, known))]!++;
    }
    const test = chiSquareHomogeneity(distanceCounts, distance);
    expect(test.pValue, `chi-square ${test.statistic.toFixed(0)} on ${test.degreesOfFreedom} df`).toBeGreaterThan(
      ALPHA,
    );
  });
});

describe("ycsb-c through the Workload requests YCSB's keys as often as YCSB", () => {
  it('key names and frequencies, one worker', () => {
    const indexOf = new Map(fixture.keyNames.slice(0, RECORDS).map((name, index) => [name, index]));
    const workload = new Workload(getScenario('ycsb-c'), 21, 0, 1, 100_000);
    const counts = new Array<number>(RECORDS).fill(0);
    const unknown = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const { key } = workload.next();
      const index = indexOf.get(key);
      if (index === undefined) unknown.add(key);
      else counts[index]!++;
    }
    expect([...unknown].slice(0, 5), 'keys YCSB never names').toEqual([]);
    const test = chiSquareHomogeneity(fixture.workloadCKeyCounts, counts);
    expect(test.pValue, `chi-square ${test.statistic.toFixed(0)} on ${test.degreesOfFreedom} df`).toBeGreaterThan(
      ALPHA,
    );
  });
});
