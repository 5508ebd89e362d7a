import { afterEach, describe, expect, it } from 'vitest';
import { FanoutCache, InvalidOptionError } from '../../engine/index.js';
import { openCache, tempDir } from './helpers.js';

const fanouts: FanoutCache[] = [];
afterEach(() => {
  for (const f of fanouts.splice(0)) f.close();
});

describe('options arguments', () => {
  it('a non-object options argument is refused by every method, not ignored (diskcache-style get(key, 0))', () => {
    const cache = openCache();
    cache.set('k', 1);
    const bad = 0 as never;
    for (const call of [
      () => cache.get('k', bad),
      () => cache.pop('k', bad),
      () => cache.pull(bad),
      () => cache.peek(bad),
      () => cache.push(1, bad),
      () => cache.getMany(['k'], bad),
      () => cache.setMany([['a', 1]], bad),
      () => cache.stats(bad),
      () => cache.check(bad),
      () => cache.incr('n', 1, bad),
    ]) {
      expect(call).toThrow(InvalidOptionError);
    }
    expect(cache.get('k')).toBe(1); // pop(k, 0) did not remove it
  });

  it('null options mean none, everywhere', () => {
    const cache = openCache();
    cache.set('k', 1);
    const none = null as never;
    expect(cache.get('k', none)).toBe(1);
    expect(cache.getMany(['k'], none)).toEqual([1]);
    expect(cache.push(5, none)).toBe(500_000_000_000_000);
    expect(cache.pull(none)).toMatchObject({ value: 5 });
    expect(cache.peek(none)).toBeUndefined();
    expect(cache.stats(none)).toMatchObject({ hits: 0, misses: 0, evictions: 0 });
    expect(cache.check(none)).toEqual([]);
    expect(cache.incr('n', 2, none)).toBe(2);
    expect(cache.pop('k', none)).toBe(1);
  });

  it('FanoutCache checks key lists and options as Cache does: a lone string or null is not a list', () => {
    const fanout = new FanoutCache(tempDir(), { shards: 4 });
    fanouts.push(fanout);
    expect(() => fanout.getMany('abc' as never)).toThrow(InvalidOptionError);
    expect(() => fanout.getMany(null as never)).toThrow(/keys/);
    expect(() => fanout.setMany(null as never)).toThrow(/entries/);
    expect(() => fanout.deleteMany('ab' as never)).toThrow(InvalidOptionError);
    expect(() => fanout.getMany(['a'], 5 as never)).toThrow(InvalidOptionError);
    expect(() => fanout.get('a', 0 as never)).toThrow(InvalidOptionError);
    expect(fanout.getMany(['a'], null as never)).toEqual([undefined]);
    expect(fanout.stats(null as never)).toMatchObject({ hits: 0, misses: 0 });
    expect(fanout.check(null as never)).toEqual([]);
  });
});
