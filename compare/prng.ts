/**
 * A small seeded PRNG (mulberry32) so that bootstrap intervals, and therefore
 * the whole compare report, are identical for identical inputs. Not for
 * cryptography; 32 bits of state is plenty for a few thousand resamples.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
