import type { Rng } from './rng.js';
import type { KeyDistribution } from './scenario.js';
import { fnv1a32 as fnv1a32Bytes } from '../engine/shard-hash.js';

/**
 * Picks positions in a worker's sequence of known keys: the preloaded keys
 * [0, count), then the worker's own inserts in order (Workload maps a position
 * to a key). uniform and zipfian stay within [0, count); `latest` favours the
 * end of the sequence, the worker's newest insert.
 */
export interface KeyChooser {
  next(rng: Rng): number;
  /** Tells `latest` that the first `known` positions are now inserted. */
  grow(known: number): void;
}

export function createKeyChooser(distribution: KeyDistribution, count: number): KeyChooser {
  switch (distribution.kind) {
    case 'uniform':
      return { next: (rng) => rng.nextInt(count), grow: () => {} };
    case 'zipfian': {
      const zipf = new Zipfian(count, distribution.theta ?? 0.99);
      // YCSB scrambles the ranks so the popular keys are spread over the key space,
      // not bunched at the low indexes (which would all share one B-tree page).
      return { next: (rng) => fnv1a32(zipf.next(rng)) % count, grow: () => {} };
    }
    case 'latest': {
      const zipf = new Zipfian(count, distribution.theta ?? 0.99);
      let max = count;
      return {
        // Rank 0 is the newest key. The zipfian stays sized to the loaded count,
        // so the favoured window does not widen as inserts arrive (YCSB recomputes
        // zeta incrementally; for the short runs here the difference is negligible).
        next: (rng) => Math.max(0, max - 1 - zipf.next(rng)),
        grow: (known) => {
          if (known > max) max = known;
        },
      };
    }
  }
}

/**
 * Zipfian ranks in [0, n) after Gray et al., "Quickly generating billion-record
 * synthetic databases" (the generator YCSB uses): rank 0 is the most popular.
 */
export class Zipfian {
  private readonly zetan: number;
  private readonly alpha: number;
  private readonly eta: number;
  private readonly halfPowTheta: number;

  constructor(private readonly n: number, private readonly theta: number) {
    if (!(theta > 0 && theta < 1)) throw new RangeError(`zipfian theta must be in (0, 1), got ${theta}`);
    let zetan = 0;
    for (let i = 1; i <= n; i++) zetan += 1 / Math.pow(i, theta);
    const zeta2 = 1 + Math.pow(0.5, theta);
    this.zetan = zetan;
    this.alpha = 1 / (1 - theta);
    this.eta = n <= 2 ? 0 : (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / zetan);
    this.halfPowTheta = Math.pow(0.5, theta);
  }

  next(rng: Rng): number {
    const u = rng.nextFloat();
    const uz = u * this.zetan;
    if (uz < 1) return 0;
    if (uz < 1 + this.halfPowTheta || this.n <= 2) return Math.min(1, this.n - 1);
    return Math.min(this.n - 1, Math.floor(this.n * Math.pow(this.eta * u - this.eta + 1, this.alpha)));
  }
}

// The engine's FNV-1a 32 (the shard hash's byte function), imported from its own
// module rather than engine/index.ts so a worker of a non-SQLite backend does not
// load the SQLite engine just to choose keys.
const word = new Uint8Array(4);
const wordView = new DataView(word.buffer);

/**
 * FNV-1a over the four little-endian bytes of a 32-bit integer. The scenario
 * hashes a number, the engine a byte array: one reused 4-byte buffer bridges
 * them without allocating per operation (this runs once per chosen key).
 */
export function fnv1a32(value: number): number {
  wordView.setUint32(0, value >>> 0, true);
  return fnv1a32Bytes(word);
}
