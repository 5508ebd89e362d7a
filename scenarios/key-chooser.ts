import type { Rng } from '../shared/rng.js';
import type { KeyDistribution } from './scenario.js';
import { ScrambledZipfian } from './ycsb/scrambled-zipfian.js';
import { YcsbZipfian } from './ycsb/zipfian.js';

/**
 * Picks positions in a worker's sequence of known keys: the preloaded keys
 * [0, count), then the worker's own inserts in order (Workload maps a position
 * to a key). Each distribution is YCSB's request distribution of the same name,
 * with CoreWorkload's rule that a key not yet inserted is drawn again.
 */
export interface KeyChooser {
  /** A position in [0, known), where `known` is the count of preloaded keys plus the worker's completed inserts. */
  next(rng: Rng, known: number): number;
}

/**
 * `expectedInserts` sizes the zipfian as CoreWorkload does: recordcount plus
 * ⌊operationcount × insertproportion × 2⌋ items, so the popular items keep
 * their places as inserts arrive.
 */
export function createKeyChooser(distribution: KeyDistribution, count: number, expectedInserts = 0): KeyChooser {
  switch (distribution.kind) {
    case 'uniform':
      // YCSB's UniformLongGenerator over the loaded records only: inserted keys are never chosen.
      return { next: (rng) => rng.nextInt(count) };
    case 'zipfian': {
      // CoreWorkload: ScrambledZipfianGenerator(0, recordcount + expectednewkeys), which holds
      // one item more than that sum, and nextKeynum() draws again while the item is not inserted.
      const scrambled = new ScrambledZipfian(count + expectedInserts + 1, distribution.theta ?? 0.99);
      return {
        next(rng, known) {
          for (;;) {
            const position = scrambled.next(rng);
            // YCSB would request the (absent) key of a negative item; one more draw keeps to existing keys.
            if (position >= 0 && position < known) return position;
          }
        },
      };
    }
    case 'latest': {
      // SkewedLatestGenerator: a zipfian built over basis.lastValue() = count - 1 items; each
      // draw is lastValue - zipfian.nextLong(lastValue), so the newest key is the most popular
      // and the first record (distance lastValue) is never drawn, as in YCSB.
      if (count < 2) throw new RangeError(`the latest distribution needs at least 2 keys, got ${count}`);
      const zipfian = new YcsbZipfian(count - 1, distribution.theta ?? 0.99);
      return {
        next(rng, known) {
          const last = known - 1;
          return last - zipfian.next(rng, last);
        },
      };
    }
  }
}
