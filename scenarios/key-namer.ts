import type { Scenario } from './scenario.js';
import { fnvhash64Decimal } from './ycsb/fnv-hash64.js';

/** The name of the key with index n. */
export type KeyNamer = (index: number) => string;

/**
 * A scenario's key names: `ordered` names index n `prefix + n`; `hashed` names it
 * `prefix + fnvhash64(n)` in decimal, as YCSB's CoreWorkload.buildKeyName does under its
 * default insertorder=hashed (zeropadding 1 adds no zeros to a hash). Hashed names are
 * cached: a BigInt's decimal text costs ~0.4 µs, a Map lookup ~0.02 µs, and a zipfian
 * workload asks for the same few keys again and again.
 */
const CACHE_LIMIT = 1_000_000;

export function createKeyNamer(keys: Scenario['keys']): KeyNamer {
  const prefix = keys.prefix ?? '';
  if ((keys.order ?? 'ordered') === 'ordered') return (index) => prefix + index;
  const names = new Map<number, string>();
  return (index) => {
    let name = names.get(index);
    if (name === undefined) {
      name = prefix + fnvhash64Decimal(index);
      // Bounded, so a uniform run over millions of keys does not hold every name.
      if (names.size < CACHE_LIMIT) names.set(index, name);
    }
    return name;
  };
}
