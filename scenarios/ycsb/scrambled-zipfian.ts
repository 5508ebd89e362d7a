import type { Rng } from '../../shared/rng.js';
import { fnvhash64Mod } from './fnv-hash64.js';
import { YcsbZipfian } from './zipfian.js';

/** YCSB's ScrambledZipfianGenerator.ITEM_COUNT: the zipfian underneath always spans 10^10 items. */
const ITEM_COUNT = 10_000_000_000;
/** YCSB's ScrambledZipfianGenerator.ZETAN: its precomputed zeta(10^10, 0.99). */
const ZETAN = 26.46902820178302;
const USED_ZIPFIAN_CONSTANT = 0.99;

/**
 * YCSB's ScrambledZipfianGenerator(0, itemcount - 1): a zipfian rank over 10^10 items (YCSB
 * builds its ZipfianGenerator(0, ITEM_COUNT), so 10^10 + 1 of them), mapped to
 * `fnvhash64(rank) % itemcount`. Because 10^10 ranks fold onto the items, every item is
 * reachable and the hottest one gets ~3.9% of draws at 1,000 items (a zipfian over the items
 * themselves would give it ~13%). θ = 0.99 uses YCSB's zeta constant; another θ computes zeta
 * (see zipfian.ts), where YCSB would sum 10^10 terms.
 */
export class ScrambledZipfian {
  private readonly zipfian: YcsbZipfian;

  constructor(
    readonly itemcount: number,
    theta = USED_ZIPFIAN_CONSTANT,
  ) {
    if (!Number.isSafeInteger(itemcount) || itemcount < 1 || itemcount > 0x8000_0000) {
      throw new RangeError(
        `scrambled zipfian item count must be in 1..2^31 (YCSB's int key numbers), got ${itemcount}`,
      );
    }
    this.zipfian = new YcsbZipfian(ITEM_COUNT + 1, theta, theta === USED_ZIPFIAN_CONSTANT ? ZETAN : undefined);
  }

  /** The zipfian YCSB draws from (tests compare its constants with YCSB's). */
  get constants(): YcsbZipfian['constants'] {
    return this.zipfian.constants;
  }

  /**
   * An item in [0, itemcount). The one negative result YCSB can give (a hash of Long.MIN_VALUE,
   * which Math.abs leaves negative, about 1 in 2^64 ranks) comes back negative here too.
   */
  next(rng: Rng): number {
    return fnvhash64Mod(this.zipfian.next(rng), this.itemcount);
  }
}
