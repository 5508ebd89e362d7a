import { describe, expect, it } from 'vitest';
import { Rng } from '../../shared/rng.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed and stream', () => {
    const a = new Rng(42, 3);
    const b = new Rng(42, 3);
    const xs = Array.from({ length: 100 }, () => a.nextUint32());
    expect(Array.from({ length: 100 }, () => b.nextUint32())).toEqual(xs);
  });

  it('gives different sequences for different seeds or streams', () => {
    const first = (rng: Rng): number[] => Array.from({ length: 8 }, () => rng.nextUint32());
    const base = first(new Rng(42, 0));
    expect(first(new Rng(43, 0))).not.toEqual(base);
    expect(first(new Rng(42, 1))).not.toEqual(base);
    // Seeds differing only above 32 bits are still distinct.
    expect(first(new Rng(42 + 2 ** 32, 0))).not.toEqual(base);
  });

  it('nextInt stays in range and is close to uniform', () => {
    const rng = new Rng(7);
    const n = 6;
    const counts = new Array<number>(n).fill(0);
    const draws = 60_000;
    for (let i = 0; i < draws; i++) {
      const x = rng.nextInt(n);
      expect(Number.isInteger(x) && x >= 0 && x < n).toBe(true);
      counts[x]!++;
    }
    // Each bucket expects 10,000; 5 standard deviations is about ±460.
    for (const c of counts) expect(Math.abs(c - draws / n)).toBeLessThan(500);
  });

  it('nextInt is unbiased for a bound that does not divide 2^32', () => {
    // With a plain modulo, 3·2^30 would give 0..2^30-1 twice the weight of the rest.
    const rng = new Rng(11);
    const bound = 3 * 2 ** 30;
    let low = 0;
    const draws = 30_000;
    for (let i = 0; i < draws; i++) if (rng.nextInt(bound) < 2 ** 30) low++;
    expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(0.02);
  });

  it('nextFloat is in [0, 1) and nextRange is inclusive', () => {
    const rng = new Rng(5);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      seen.add(rng.nextRange(1, 3));
    }
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('rejects a bad seed', () => {
    expect(() => new Rng(-1)).toThrow(/seed/);
    expect(() => new Rng(1.5)).toThrow(/seed/);
  });
});
