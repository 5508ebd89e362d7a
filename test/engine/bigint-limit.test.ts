import { describe, expect, it } from 'vitest';
import {
  CounterOverflowError,
  FanoutCache,
  InvalidKeyError,
  InvalidOptionError,
  InvalidValueError,
} from '../../engine/index.js';
import { keep, openCache, tempDir } from './helpers.js';

// Bigints are stored as decimal text, whose conversion is superlinear; past 1,000,000 digits the engine refuses them.
const FIRST_TOO_LARGE = 10n ** 1_000_000n; // 1,000,001 digits
const LARGEST = FIRST_TOO_LARGE - 1n; // 1,000,000 nines
const FIX = /more than 1000000 decimal digits.*store it as a Buffer of its bytes, or as a string/;

describe('bigints past 1,000,000 decimal digits', () => {
  it('the test numbers have the digit counts they claim', () => {
    expect(LARGEST.toString().length).toBe(1_000_000);
    expect(FIRST_TOO_LARGE.toString().length).toBe(1_000_001);
  });

  it('as a key: InvalidKeyError naming the fix, for either sign, and nothing is written', () => {
    const cache = openCache();
    cache.set('other', 1);
    for (const key of [FIRST_TOO_LARGE, -FIRST_TOO_LARGE]) {
      expect(() => cache.set(key, 1)).toThrow(InvalidKeyError);
      expect(() => cache.set(key, 1)).toThrow(FIX);
      expect(() => cache.get(key)).toThrow(InvalidKeyError);
    }
    expect(cache.length).toBe(1);
    expect([...cache.keys()]).toEqual(['other']);
  });

  it('as a value: InvalidValueError naming the fix, and the key keeps its old value', () => {
    const cache = openCache();
    cache.set('k', 'old');
    expect(() => cache.set('k', FIRST_TOO_LARGE)).toThrow(InvalidValueError);
    expect(() => cache.set('k', -FIRST_TOO_LARGE)).toThrow(FIX);
    expect(() => cache.add('new', FIRST_TOO_LARGE)).toThrow(InvalidValueError);
    expect(cache.length).toBe(1);
    expect(cache.get('k')).toBe('old');
  });

  it('a setMany batch holding one stores nothing, on Cache and on FanoutCache', () => {
    const cache = openCache();
    expect(() =>
      cache.setMany([
        ['a', 1],
        ['b', FIRST_TOO_LARGE],
      ]),
    ).toThrow(InvalidValueError);
    expect(() =>
      cache.setMany([
        ['a', 1],
        [FIRST_TOO_LARGE, 2],
      ]),
    ).toThrow(InvalidKeyError);
    expect(cache.length).toBe(0);

    const fanout = keep(new FanoutCache(tempDir(), { shards: 4 }));
    const entries: [string, unknown][] = Array.from({ length: 8 }, (_, i) => [`k${i}`, i]);
    entries.push(['big', FIRST_TOO_LARGE]);
    expect(() => fanout.setMany(entries as never)).toThrow(InvalidValueError);
    expect(fanout.length).toBe(0);
  });

  it('an incr whose bigint answer would pass the limit is a CounterOverflowError and leaves the counter', () => {
    const cache = openCache();
    expect(() => cache.incr('c', 1n, { default: LARGEST })).toThrow(CounterOverflowError);
    expect(cache.has('c')).toBe(false);
    cache.set('n', 5n);
    expect(() => cache.incr('n', LARGEST)).toThrow(CounterOverflowError);
    expect(cache.get('n')).toBe(5n);
  });

  it('as a memoize argument: InvalidValueError, and the function is not called', () => {
    const cache = openCache();
    let calls = 0;
    const f = cache.memoize((n: bigint) => (calls++, n > 0n), { name: 'big' });
    expect(() => f(FIRST_TOO_LARGE)).toThrow(InvalidValueError);
    expect(() => f(FIRST_TOO_LARGE)).toThrow(/memoize cannot key on a bigint of more than 1000000 decimal digits/);
    expect(calls).toBe(0);
    expect(cache.length).toBe(0);
  });

  it('given where an options object belongs: the error names its size instead of printing its digits', () => {
    const cache = openCache();
    expect(() => cache.set('k', 1, FIRST_TOO_LARGE as never)).toThrow(InvalidOptionError);
    expect(() => cache.set('k', 1, FIRST_TOO_LARGE as never)).toThrow(
      /not bigint \(more than 1000000 decimal digits\)$/,
    );
  });

  it('a bigint of exactly 1,000,000 digits round-trips as key and as value', () => {
    const cache = openCache();
    cache.set(LARGEST, -LARGEST);
    expect(cache.get(LARGEST)).toBe(-LARGEST);
    expect([...cache.keys()]).toEqual([LARGEST]);
    expect(cache.incr('c', 1n, { default: LARGEST - 1n })).toBe(LARGEST);
    expect(cache.get('c')).toBe(LARGEST);
  });
});
