import type { Rng } from '../../shared/rng.js';

/**
 * YCSB's ZipfianGenerator (after Gray et al., "Quickly generating billion-record synthetic
 * databases", SIGMOD 1994) with base 0: ranks in [0, itemcount), rank 0 the most popular.
 * Every step follows YCSB's arithmetic, including two of its habits that shape the output:
 * - zeta grows incrementally when `next` is asked for more items than it was built for
 *   (SkewedLatestGenerator does so as inserts arrive), and never shrinks;
 * - after such growth `eta` is recomputed from the item count the generator was *built* with,
 *   not the new one, so a growing "latest" spreads its draws further than a fresh zipfian would.
 * The random source is our seeded Rng in place of Java's ThreadLocalRandom.
 */
export class YcsbZipfian {
  private readonly alpha: number;
  private readonly zeta2theta: number;
  private readonly halfPowTheta: number;
  private zetan: number;
  private eta: number;
  private countForZeta: number;

  /** `zetan` is the precomputed zeta of `items` (YCSB passes one for its scrambled zipfian). */
  constructor(
    private readonly items: number,
    private readonly theta: number,
    zetan?: number,
  ) {
    if (!(theta > 0 && theta < 1)) throw new RangeError(`zipfian theta must be in (0, 1), got ${theta}`);
    if (!Number.isSafeInteger(items) || items < 1)
      throw new RangeError(`zipfian item count must be a positive integer, got ${items}`);
    this.zeta2theta = zetaSum(0, 2, theta, 0);
    this.alpha = 1 / (1 - theta);
    this.zetan = zetan ?? zeta(items, theta);
    this.countForZeta = items;
    this.eta = this.etaFor(this.zetan);
    this.halfPowTheta = Math.pow(0.5, theta);
  }

  /** The constants YCSB's generator holds (tests compare them with YCSB's own). */
  get constants(): { items: number; theta: number; zetan: number; eta: number; alpha: number; zeta2theta: number } {
    return {
      items: this.items,
      theta: this.theta,
      zetan: this.zetan,
      eta: this.eta,
      alpha: this.alpha,
      zeta2theta: this.zeta2theta,
    };
  }

  /** A rank in [0, itemcount) (YCSB's `nextLong(itemcount)`); `itemcount` defaults to the built size. */
  next(rng: Rng, itemcount: number = this.items): number {
    if (itemcount > this.countForZeta) {
      this.zetan = zetaSum(this.countForZeta, itemcount, this.theta, this.zetan);
      this.countForZeta = itemcount;
      this.eta = this.etaFor(this.zetan);
    }
    const u = rng.nextFloat();
    const uz = u * this.zetan;
    if (uz < 1) return 0;
    if (uz < 1 + this.halfPowTheta) return 1;
    return Math.floor(itemcount * Math.pow(this.eta * u - this.eta + 1, this.alpha));
  }

  private etaFor(zetan: number): number {
    return (1 - Math.pow(2 / this.items, 1 - this.theta)) / (1 - this.zeta2theta / zetan);
  }
}

/** zeta(n, θ) = Σ_{i=1..n} i^-θ, summed in YCSB's order up to 10^6 terms (~0.1 s), else in closed form. */
export function zeta(n: number, theta: number): number {
  return n <= DIRECT_SUM_LIMIT ? zetaSum(0, n, theta, 0) : zetaEulerMaclaurin(n, theta);
}

const DIRECT_SUM_LIMIT = 1_000_000;

/** YCSB's `zetastatic(st, n, theta, initialsum)`: adds the terms for items st+1 .. n. */
function zetaSum(start: number, n: number, theta: number, initial: number): number {
  let sum = initial;
  for (let i = start; i < n; i++) sum += 1 / Math.pow(i + 1, theta);
  return sum;
}

/**
 * zeta(n, θ) for n too large to sum term by term (YCSB sums all 10^10 terms of its scrambled
 * zipfian for a θ other than 0.99, which takes minutes): the first K terms exactly, the rest by
 * the Euler–Maclaurin formula with two Bernoulli corrections; the error is below 1e-15 at K = 1,000.
 */
function zetaEulerMaclaurin(n: number, theta: number): number {
  const K = 1_000;
  const f = (x: number): number => Math.pow(x, -theta);
  const f1 = (x: number): number => -theta * Math.pow(x, -theta - 1);
  const f3 = (x: number): number => -theta * (theta + 1) * (theta + 2) * Math.pow(x, -theta - 3);
  const head = zetaSum(0, K - 1, theta, 0);
  const integral = (Math.pow(n, 1 - theta) - Math.pow(K, 1 - theta)) / (1 - theta);
  return head + integral + (f(K) + f(n)) / 2 + (f1(n) - f1(K)) / 12 - (f3(n) - f3(K)) / 720;
}
