import { describe, expect, it } from 'vitest';
import { Cache, CacheStateError, FanoutCache, type Key } from '../../engine/index.js';
import { fakeClock, keep, tempDir } from './helpers.js';

// Chosen to catch a merge that compares the wrong way: numbers of both signs and fractions, '1' and 1n
// (equal text, kinds apart), bigints compared as text ('10' < '9'), and U+FF5E against U+1F600, which
// JS string order puts the other way round from SQLite's UTF-8 byte order.
const KEYS: Key[] = [
  -5,
  0,
  1,
  1.5,
  2,
  10,
  1e300,
  -Infinity,
  Infinity,
  '',
  '1',
  'a',
  'B',
  'ab',
  'é',
  '\uFF5E',
  '😀',
  'ключ',
  1n,
  9n,
  10n,
  -3n,
  Buffer.from([]),
  Buffer.from([0]),
  Buffer.from([1, 2]),
  Buffer.from([255]),
  Buffer.from('a'),
  // Over 100 keys in all, so both Cache.iterkeys and each shard's read more than one page of 100.
  ...Array.from({ length: 260 }, (_, i) => `k${i}`),
];

describe('FanoutCache.iterkeys', () => {
  it('lists every key in the order one Cache holding them all lists them, forwards and reversed', () => {
    const single = keep(new Cache(tempDir()));
    const fanout = keep(new FanoutCache(tempDir(), { shards: 5 }));
    for (const key of KEYS) {
      single.set(key, 1);
      fanout.set(key, 1);
    }
    const expected = [...single.iterkeys()];
    expect(expected).toHaveLength(KEYS.length);
    expect([...fanout.iterkeys()]).toEqual(expected);
    expect([...fanout.iterkeys(true)]).toEqual([...single.iterkeys(true)]);
    expect(expected.indexOf('\uFF5E')).toBeLessThan(expected.indexOf('😀')); // the order really is UTF-8's
  });

  it('skips expired keys and may be left early, the cache staying usable', () => {
    const clock = fakeClock();
    const fanout = keep(new FanoutCache(tempDir(), { shards: 3, now: clock.now }));
    for (let i = 0; i < 30; i++) fanout.set(i, i, { expire: i % 2 === 0 ? 5 : null });
    clock.advance(10);
    expect([...fanout.iterkeys()]).toEqual(Array.from({ length: 15 }, (_, i) => 2 * i + 1));
    for (const key of fanout.iterkeys(true)) {
      expect(key).toBe(29);
      break;
    }
    expect(fanout.set('after', 1)).toBe(true);
    expect(fanout.get('after')).toBe(1);
  });
});

describe("queue and insertion-order methods FanoutCache lacks (as diskcache's does)", () => {
  it.each([
    ['push', /no push\(\).*use a Deque/],
    ['pull', /no pull\(\).*spreads keys over shards/],
    ['peek', /no peek\(\)/],
    ['queueLength', /no queueLength\(\)/],
    ['peekitem', /no peekitem\(\).*insertion order exists only within a shard/],
  ])('%s throws CacheStateError saying why, and touches nothing', (name, message) => {
    const fanout = keep(new FanoutCache(tempDir(), { shards: 2 }));
    const call = () => (fanout as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!('x');
    expect(call).toThrow(CacheStateError);
    expect(call).toThrow(message);
    expect(fanout.length).toBe(0);
  });

  it('are not part of the TypeScript type', () => {
    const fanout = keep(new FanoutCache(tempDir(), { shards: 2 }));
    // Each line fails to compile if the method is ever added to the type (tsc reports an unused @ts-expect-error).
    // @ts-expect-error FanoutCache has no push
    expect(() => fanout.push(1)).toThrow(CacheStateError);
    // @ts-expect-error FanoutCache has no pull
    expect(() => fanout.pull()).toThrow(CacheStateError);
    // @ts-expect-error FanoutCache has no peekitem
    expect(() => fanout.peekitem()).toThrow(CacheStateError);
    // @ts-expect-error FanoutCache has no queueLength
    expect(() => fanout.queueLength()).toThrow(CacheStateError);
  });
});
