import { describe, expect, it } from 'vitest';
import { InvalidOptionError, InvalidValueError, memoizeStampede } from '../../engine/index.js';
import { isThenable } from '../../engine/thenable.js';
import { fakeClock, openCache } from './helpers.js';

describe('push / pull / peek', () => {
  it('is a deque on number keys without a prefix', () => {
    const cache = openCache();
    expect(cache.push('a')).toBe(500_000_000_000_000);
    expect(cache.push('b')).toBe(500_000_000_000_001);
    expect(cache.push('z', { side: 'front' })).toBe(499_999_999_999_999);
    expect(cache.peek()).toMatchObject({ key: 499_999_999_999_999, value: 'z' });
    expect(cache.peek({ side: 'back' })).toMatchObject({ value: 'b' });
    expect(cache.pull()).toMatchObject({ value: 'z' });
    expect(cache.pull({ side: 'back' })).toMatchObject({ value: 'b' });
    expect(cache.pull()).toMatchObject({ value: 'a' });
    expect(cache.pull()).toBeUndefined();
    expect(cache.pull({ default: 'empty' })).toBe('empty');
  });

  it('leaves out keys that only look like queue keys (no 15-digit suffix, not an integer)', () => {
    const cache = openCache();
    cache.set('q-50000000000000a', 'imposter');
    cache.set(500_000_000_000_000.5, 'float');
    expect(cache.push(1, { prefix: 'q' })).toBe('q-500000000000000');
    expect(cache.push(2)).toBe(500_000_000_000_000);
    expect(cache.queueLength({ prefix: 'q' })).toBe(1);
    expect(cache.pull({ prefix: 'q' })).toMatchObject({ key: 'q-500000000000000', value: 1 });
    expect(cache.pull({ side: 'back' })).toMatchObject({ key: 500_000_000_000_000, value: 2 });
    expect(cache.pull({ prefix: 'q' })).toBeUndefined();
    expect(cache.get('q-50000000000000a')).toBe('imposter');
  });

  it('keeps prefixed queues apart from each other and from ordinary keys', () => {
    const cache = openCache();
    cache.set('jobs-x', 'not queued');
    expect(cache.push(1, { prefix: 'jobs' })).toBe('jobs-500000000000000');
    cache.push(2, { prefix: 'jobs' });
    cache.push('other', { prefix: 'mail', tag: 't' });
    expect(cache.pull({ prefix: 'jobs' })).toMatchObject({ key: 'jobs-500000000000000', value: 1 });
    expect(cache.pull({ prefix: 'jobs' })).toMatchObject({ value: 2 });
    expect(cache.pull({ prefix: 'jobs' })).toBeUndefined();
    expect(cache.peek({ prefix: 'mail' })).toMatchObject({ value: 'other', tag: 't' });
    expect(cache.get('jobs-x')).toBe('not queued');
  });

  it('skips (and removes) expired items', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    cache.push('old', { prefix: 'q', expire: 1 });
    cache.push('new', { prefix: 'q' });
    clock.advance(2);
    expect(cache.peek({ prefix: 'q' })).toMatchObject({ value: 'new' });
    expect(cache.length).toBe(1);
  });

  it('validates side and prefix', () => {
    const cache = openCache();
    expect(() => cache.push(1, { side: 'middle' as never })).toThrow(InvalidOptionError);
    expect(() => cache.pull({ prefix: 5 as never })).toThrow(/prefix/);
  });
});

describe('memoize', () => {
  it('caches results per typed arguments', () => {
    const cache = openCache();
    let calls = 0;
    const add = cache.memoize(
      function add(a: unknown, b: number) {
        calls++;
        return `${typeof a}:${String(a)}+${b}`;
      },
      { name: 'add' },
    );
    expect(add(1, 2)).toBe('number:1+2');
    expect(add(1, 2)).toBe('number:1+2');
    expect(calls).toBe(1);
    expect(add('1', 2)).toBe('string:1+2');
    expect(add(1n, 2)).toBe('bigint:1+2');
    expect(calls).toBe(3);
    expect(cache.get(add.cacheKey(1, 2))).toBe('number:1+2');
  });

  it('one entry per call whatever the key order of object arguments; trailing undefined arguments do not count', () => {
    const cache = openCache();
    let calls = 0;
    const f = cache.memoize(
      function f(options: object, extra?: number) {
        calls++;
        return JSON.stringify([options, extra ?? null]);
      },
      { name: 'f' },
    );
    f({ a: 1, b: { y: 2, x: [{ q: 1, p: 2 }] } });
    f({ b: { x: [{ p: 2, q: 1 }], y: 2 }, a: 1 });
    expect(calls).toBe(1);
    expect(f.cacheKey({ a: 1, b: 2 })).toBe(f.cacheKey({ b: 2, a: 1 }));
    f({ a: 1, b: { y: 2, x: [{ q: 1, p: 2 }] } }, undefined);
    expect(calls).toBe(1);
    expect(f.cacheKey({}, undefined)).toBe(f.cacheKey({}));
    // Array order and a middle undefined still matter.
    expect(f.cacheKey([1, 2] as never)).not.toBe(f.cacheKey([2, 1] as never));
    expect(f.cacheKey(undefined as never, 1)).not.toBe(f.cacheKey(1 as never));
    // A "__proto__" key stays data, not a prototype.
    expect(f.cacheKey(JSON.parse('{"__proto__":{"x":1}}'))).not.toBe(f.cacheKey({}));
  });

  it('honours expire, tag and name', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    let calls = 0;
    const f = cache.memoize((x: number) => ++calls + x, { name: 'f', expire: 10, tag: 'memo' });
    f(1);
    f(1);
    expect(calls).toBe(1);
    clock.advance(10);
    f(1);
    expect(calls).toBe(2);
    expect(cache.evict('memo')).toBe(1);
    expect(() => cache.memoize((x: number) => x)).toThrow(InvalidOptionError);
    const g = cache.memoize(
      async function g() {
        return 1;
      } as never,
      { name: 'g' },
    );
    expect(() => (g as () => unknown)()).toThrow(InvalidValueError);
  });

  it('a function returning undefined or null gets a typed error (memoize and memoizeStampede), not a TypeError', () => {
    const cache = openCache();
    const none = cache.memoize(
      function none() {
        return undefined;
      } as () => never,
      { name: 'none' },
    );
    expect(() => none()).toThrow(InvalidValueError);
    const stampede = memoizeStampede(
      cache,
      function noneToo() {
        return undefined;
      } as () => never,
      { expire: 10, name: 'noneToo' },
    );
    expect(() =>
      memoizeStampede(
        cache,
        function noOptions() {
          return 1;
        },
        undefined as never,
      ),
    ).toThrow(InvalidOptionError);
    expect(() => stampede()).toThrow(InvalidValueError);
    const nil = cache.memoize(
      function nil() {
        return null;
      },
      { name: 'nil' },
    );
    expect(nil()).toBeNull();
    expect(isThenable(undefined)).toBe(false);
    expect(isThenable({ then: () => 0 })).toBe(true);
    expect(isThenable(Object.assign(() => 0, { then: () => 0 }))).toBe(true);
  });
});
