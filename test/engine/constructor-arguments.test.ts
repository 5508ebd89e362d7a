import { describe, expect, it } from 'vitest';
import { Cache, Deque, FanoutCache, Index, InvalidOptionError } from '../../engine/index.js';
import { tempDir } from './helpers.js';

describe('constructor directory argument', () => {
  // Ports of diskcache code pass what Python takes first: Deque(iterable), FanoutCache(shards=…) by position.
  const opens: [string, () => unknown][] = [
    ['Cache(123)', () => new Cache(123 as never)],
    ["Cache('')", () => new Cache('')],
    ['Deque([1, 2])', () => new Deque([1, 2] as never)],
    ['Index({ a: 1 })', () => new Index({ a: 1 } as never)],
    ['FanoutCache(4)', () => new FanoutCache(4 as never)],
  ];
  for (const [call, open] of opens) {
    it(`${call} is an InvalidOptionError naming the directory argument, not a raw TypeError`, () => {
      expect(open).toThrow(InvalidOptionError);
      expect(open).toThrow(/option directory: \w+ takes \(directory\?, options\?\): expected a non-empty path string/);
    });
  }
});

describe('FanoutCache counters', () => {
  it('decr checks its delta on the shard before negating it, and bigint counters pass through typed', () => {
    const cache = new FanoutCache(tempDir(), { shards: 3 });
    try {
      // As Cache.decr: refused (it used to be negated to -1 first and taken as a number).
      expect(() => cache.decr('n', '1' as never)).toThrow(InvalidOptionError);
      expect(() => new Cache(tempDir()).decr('n', '1' as never)).toThrow(InvalidOptionError);
      expect(cache.get('n')).toBeUndefined();
      const big: bigint | null = cache.incr('b', 2n ** 60n);
      expect(big).toBe(2n ** 60n);
      expect(cache.decr('b', 1n)).toBe(2n ** 60n - 1n);
      expect(cache.decr('n', 2)).toBe(-2);
    } finally {
      cache.close();
    }
  });
});
