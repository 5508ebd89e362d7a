import { describe, expect, it } from 'vitest';
import { pairedFigures, pairsNeededTwoSided } from '../../compare/paired-row.js';
import { seededRandom } from '../../shared/rng.js';

const options = (seed = 1) => ({ alpha: 0.05, resamples: 2_000, random: seededRandom(seed) });
// Base values wander a lot from pair to pair (a noisy machine); head is base × (1 + change) × a small wobble.
const base = [100, 180, 90, 250, 120, 300, 110, 200, 150, 95];
const wobble = [1.01, 0.99, 1.02, 0.98, 1.0, 1.01, 0.99, 1.0, 1.02, 0.98];

describe('paired figures', () => {
  it('see a 10% slowdown through pair-to-pair noise far larger than it', () => {
    const head = base.map((b, i) => b * 1.1 * wobble[i]!);
    const f = pairedFigures(base, head, 'latency', options());
    expect(f.ratio).toBeCloseTo(1.1, 1);
    expect(f.verdict).toBe('slower');
    expect(f.pValue).toBeLessThan(0.01);
    expect(f.ci[0]).toBeGreaterThan(1.05);
    expect(f.ci[1]).toBeLessThan(1.15);
    expect(f.regression).toBeCloseTo(0.1, 1);
    // The pairs' own noise is about ±2%: a few percent is detectable, far below the 10% change.
    expect(f.detectable).toBeGreaterThan(0.005);
    expect(f.detectable).toBeLessThan(0.05);
  });

  it('turn direction for throughput: lower head is worse', () => {
    const head = base.map((b, i) => b * 0.8 * wobble[i]!);
    const f = pairedFigures(base, head, 'rate', options());
    expect(f.verdict).toBe('slower');
    expect(f.regression).toBeCloseTo(0.2, 1);
    expect(pairedFigures(base, head, 'latency', options()).verdict).toBe('faster');
  });

  it('call no change on identical code, and say what could not have been seen', () => {
    const head = base.map((b, i) => b * wobble[(i + 3) % wobble.length]!);
    const f = pairedFigures(base, head, 'latency', options());
    expect(f.verdict).toBe('no significant change');
    expect(f.pValue).toBeGreaterThan(0.05);
    expect(Number.isFinite(f.detectable)).toBe(true);
  });

  it('detect nothing with fewer pairs than the test needs', () => {
    expect(pairsNeededTwoSided(0.05)).toBe(6);
    const f = pairedFigures(
      base.slice(0, 5),
      base.slice(0, 5).map((b) => b * 2),
      'latency',
      options(),
    );
    expect(f.verdict).toBe('no significant change');
    expect(f.detectable).toBe(Number.POSITIVE_INFINITY);
  });

  it('are reproducible for a seed', () => {
    const head = base.map((b, i) => b * 1.05 * wobble[i]!);
    expect(pairedFigures(base, head, 'latency', options(9))).toEqual(pairedFigures(base, head, 'latency', options(9)));
  });
});
