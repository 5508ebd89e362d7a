/**
 * A small seeded PRNG (xoshiro128**, seeded through splitmix32) so that every
 * random choice of a run — keys, values, the mix — follows from `--seed`.
 * 32-bit integer arithmetic only: no BigInt in the hot loop.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` separates independent sequences from one seed (one per worker, one for preload, ...). */
  constructor(seed: number, stream = 0) {
    if (!Number.isSafeInteger(seed) || seed < 0)
      throw new RangeError(`seed must be a non-negative safe integer, got ${seed}`);
    // Fold the seed's high and low 32 bits and the stream id into one splitmix32 state.
    let state = (Math.floor(seed / 0x1_0000_0000) ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
    state = (mix32(state) ^ (seed >>> 0)) >>> 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      return mix32(state);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // xoshiro must not start from the all-zero state.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, n), unbiased (rejection of the short last block), n ≤ 2^32. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 0x1_0000_0000)
      throw new RangeError(`nextInt bound must be an integer in 1..2^32, got ${n}`);
    // Largest multiple of n that fits in 2^32: values at or above it would favour small results.
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Uniform integer in [min, max], both inclusive. */
  nextRange(min: number, max: number): number {
    return min + this.nextInt(max - min + 1);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

// splitmix32's finaliser (a murmur3-style avalanche): every input bit affects every output bit.
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A fresh random seed for runs without `--seed`; recorded in the results so the run can be repeated. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x1_0000_0000);
}

/** A plain `() => number` in [0, 1), for code that takes a random function (bootstrap, shuffles, culling). */
export type Random = () => number;

/**
 * A seeded random function on the project's one PRNG. Any 32-bit integer is
 * accepted as a seed (callers derive seeds with XOR, which may go negative).
 */
export function seededRandom(seed: number, stream = 0): Random {
  const rng = new Rng(seed >>> 0, stream);
  return () => rng.nextFloat();
}
