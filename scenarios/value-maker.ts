import type { Value } from '../backends/backend.js';
import type { Rng } from '../shared/rng.js';
import type { ValueSpec } from './scenario.js';

/** Builds the value for one set; `counter` is the worker's operation counter (the talk's `count`). */
export type ValueMaker = (rng: Rng, counter: number) => Value;

export function createValueMaker(spec: ValueSpec, poolRng: Rng): ValueMaker {
  if (spec.kind === 'counter-repeat') {
    const { minRepeat, maxRepeat } = spec;
    return (rng, counter) => String(counter).repeat(rng.nextRange(minRepeat, maxRepeat));
  }
  const { minBytes, maxBytes } = spec;
  // One pseudo-random pool, sliced at random offsets: building megabyte values
  // byte by byte for every set would cost more than most stores take to write them.
  const slack = 4096;
  const pool = new Uint8Array(maxBytes + slack);
  for (let i = 0; i < pool.length; i += 4) {
    const word = poolRng.nextUint32();
    pool[i] = word & 0xff;
    pool[i + 1] = (word >>> 8) & 0xff;
    pool[i + 2] = (word >>> 16) & 0xff;
    pool[i + 3] = word >>> 24;
  }
  return (rng) => {
    const length = rng.nextRange(minBytes, maxBytes);
    const offset = rng.nextInt(slack);
    return pool.subarray(offset, offset + length);
  };
}
