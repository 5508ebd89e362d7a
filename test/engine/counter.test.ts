import { describe, expect, it } from 'vitest';
import { Cache, CounterOverflowError, FanoutCache, InvalidOptionError, InvalidValueError } from '../../engine/index.js';
import { openCache, tempDir } from './helpers.js';

const MAX = Number.MAX_SAFE_INTEGER; // 2^53 − 1

describe('incr/decr never lose an increment', () => {
  it('past 2^53 a number counter throws CounterOverflowError and keeps its value (it used to answer 2^53 twice)', () => {
    const cache = openCache();
    cache.set('n', 2 ** 53);
    expect(() => cache.incr('n', 1)).toThrow(CounterOverflowError);
    expect(() => cache.incr('n', 1)).toThrow(/past ±\(2\^53 − 1\).*incr\(key, 1n\)/);
    expect(cache.get('n')).toBe(2 ** 53);
    expect(cache.incr('n', 0)).toBe(2 ** 53); // adding nothing loses nothing, even out there

    cache.set('m', MAX - 1);
    expect(cache.incr('m')).toBe(MAX);
    expect(() => cache.incr('m')).toThrow(CounterOverflowError);
    expect(cache.get('m')).toBe(MAX);
    expect(cache.decr('m', 2)).toBe(MAX - 2); // back from the edge, exactly

    cache.set('low', -MAX);
    expect(() => cache.decr('low')).toThrow(CounterOverflowError);
    expect(() => cache.decr('fresh', 1, { default: -MAX })).toThrow(CounterOverflowError);
    expect(cache.has('fresh')).toBe(false); // refused before a row was written
    expect(cache.get('low')).toBe(-MAX);
  });

  it('a fraction that cannot change the counter (0.5 at 1.8e16) or an infinite sum is refused; ordinary float sums round as usual', () => {
    const cache = openCache();
    cache.set('f', 1.8e16);
    expect(() => cache.incr('f', 0.5)).toThrow(CounterOverflowError);
    expect(() => cache.incr('f', 0.5)).toThrow(/leaves the value unchanged/);
    expect(cache.get('f')).toBe(1.8e16);
    cache.set('g', Number.MAX_VALUE);
    expect(() => cache.incr('g', Number.MAX_VALUE)).toThrow(CounterOverflowError);
    expect(cache.get('g')).toBe(Number.MAX_VALUE);
    cache.set('inf', Infinity); // storable, but no longer a counter
    expect(() => cache.incr('inf')).toThrow(/not finite/);
    expect(cache.get('inf')).toBe(Infinity);
    cache.set('h', 0.1);
    expect(cache.incr('h', 0.2)).toBe(0.1 + 0.2);
    expect(cache.incr('h', 0)).toBe(0.1 + 0.2); // a zero delta changes nothing on purpose
  });

  it('bigint counters are exact at any size; a bigint delta turns an integer number counter into one', () => {
    const dir = tempDir();
    const cache = openCache({}, dir);
    cache.set('n', MAX);
    expect(cache.incr('n', 1n)).toBe(2n ** 53n);
    expect(cache.incr('n', 1n)).toBe(2n ** 53n + 1n);
    expect(cache.decr('n', 2n ** 80n)).toBe(2n ** 53n + 1n - 2n ** 80n);
    expect(cache.incr('new', 5n)).toBe(5n);
    expect(cache.incr('from', 1n, { default: 2n ** 64n })).toBe(2n ** 64n + 1n);
    cache.set('b', 10n ** 30n);
    expect(cache.incr('b', 1n)).toBe(10n ** 30n + 1n);
    cache.close();
    const reopened = openCache({}, dir);
    expect(reopened.get('n')).toBe(2n ** 53n + 1n - 2n ** 80n); // stored as a bigint, not rounded
    expect(reopened.get('b')).toBe(10n ** 30n + 1n);
  });

  it('mixing is refused with a typed error that says what to pass, and changes nothing', () => {
    const cache = openCache();
    cache.set('b', 7n);
    expect(() => cache.incr('b')).toThrow(InvalidValueError);
    expect(() => cache.decr('b', 1)).toThrow(/bigint counter; pass a bigint delta \(decr\(key, 1n\)\)/);
    cache.set('half', 0.5);
    expect(() => cache.incr('half', 1n)).toThrow(InvalidValueError);
    expect(() => cache.incr('x', 1, { default: 0n } as never)).toThrow(InvalidOptionError);
    expect(() => cache.decr('x', '1' as never)).toThrow(InvalidOptionError); // not read as -1
    expect([cache.get('b'), cache.get('half'), cache.has('x')]).toEqual([7n, 0.5, false]);
  });

  it('FanoutCache: the same errors and bigint counters through the shard', () => {
    const cache = new FanoutCache(tempDir(), { shards: 3 });
    try {
      cache.set('n', MAX);
      expect(() => cache.incr('n')).toThrow(CounterOverflowError);
      expect(cache.get('n')).toBe(MAX);
      // FanoutCache.incr is typed for numbers; at run time a bigint delta reaches the shard as is.
      const loose = cache as unknown as {
        incr(key: string, delta: bigint): bigint;
        decr(key: string, delta: bigint): bigint;
      };
      expect(loose.incr('n', 1n)).toBe(2n ** 53n);
      expect(loose.decr('n', 2n)).toBe(2n ** 53n - 2n);
      expect(cache.get('n')).toBe(2n ** 53n - 2n);
    } finally {
      cache.close();
    }
  });

  it('a Cache opened by another process sees the bigint counter exactly', () => {
    const dir = tempDir();
    const a = openCache({}, dir);
    const b = new Cache(dir);
    try {
      a.set('n', 2n ** 70n);
      expect(b.incr('n', 1n)).toBe(2n ** 70n + 1n);
      expect(a.incr('n', 1n)).toBe(2n ** 70n + 2n);
    } finally {
      b.close();
    }
  });
});
