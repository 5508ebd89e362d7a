import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Averager,
  CacheStateError,
  Deque,
  FanoutCache,
  Index,
  InvalidOptionError,
  type Key,
} from '../../engine/index.js';
import { fakeClock, keep, openCache, tempDir } from './helpers.js';

describe('reversed()', () => {
  it('pages through every key newest first, skips expired ones, and does not visit keys stored meanwhile', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    const keys = Array.from({ length: 250 }, (_, i) => `k${i}`);
    for (const key of keys) cache.set(key, 1);
    cache.set('k100', 2); // replaced: keeps its place
    cache.set('k7', 1, { expire: 1 });
    clock.advance(2);
    const seen: Key[] = [];
    for (const key of cache.reversed()) {
      if (seen.length === 0) cache.set('added while iterating', 1);
      seen.push(key);
    }
    expect(seen).toEqual([...keys].reverse().filter((k) => k !== 'k7'));
    expect([...cache.reversed()][0]).toBe('added while iterating');
  });

  it('FanoutCache.reversed() is keys() backwards', () => {
    const fanout = keep(new FanoutCache(tempDir(), { shards: 3 }));
    for (let i = 0; i < 40; i++) fanout.set(`k${i}`, i);
    const forward = [...fanout.keys()];
    expect(forward).toHaveLength(40);
    expect([...fanout.reversed()]).toEqual(forward.reverse());
  });

  it('Index.reversed() mirrors its insertion order', () => {
    const index = new Index(tempDir(), {
      items: [
        ['x', 1],
        ['y', 2],
        ['z', 3],
      ],
    });
    index.delete('x');
    index.set('x', 4);
    expect([...index.reversed()]).toEqual(['x', 'z', 'y']);
    index.close();
  });
});

describe('peekitem options', () => {
  it('refuses a misspelt flag and a non-boolean last', () => {
    const cache = openCache();
    cache.set('a', 1);
    expect(() => cache.peekitem(true, { expire_time: true } as never)).toThrow(/unknown option of peekitem/);
    expect(() => cache.peekitem(0 as never)).toThrow(InvalidOptionError);
    expect(cache.peekitem(false, { tag: true })).toEqual({ key: 'a', value: 1, expireTime: null, tag: null });
  });
});

describe('initial items', () => {
  it('Deque: appended in one go, trimmed by maxlen; fromCache takes items too; a non-iterable is refused', () => {
    const deque = new Deque(tempDir(), { items: [1, 2, 3, 4], maxlen: 3 });
    expect(deque.toArray()).toEqual([2, 3, 4]);
    deque.close();
    const cache = openCache();
    expect(Deque.fromCache(cache, { items: ['a', 'b'] }).toArray()).toEqual(['a', 'b']);
    expect(() => new Deque(tempDir(), { items: 5 as never })).toThrow(/items: expected an iterable/);
    expect(() => new Deque(tempDir(), { itmes: [1] } as never)).toThrow(/did you mean items/);
  });

  it('Index: a bad entry stores none of them; a misspelt option is named', () => {
    const directory = tempDir();
    expect(
      () =>
        new Index(directory, {
          items: [
            ['a', 1],
            ['b', undefined],
          ] as never,
        }),
    ).toThrow();
    const index = new Index(directory);
    expect(index.length).toBe(0);
    index.close();
    expect(() => new Index(tempDir(), { itms: [] } as never)).toThrow(/did you mean items/);
    expect([...Index.fromCache(openCache(), { items: new Map([['k', 'v']]) }).items()]).toEqual([['k', 'v']]);
  });
});

describe('FanoutCache sub-collections', () => {
  it('deques and indexes never evict; the clock and Disk of the FanoutCache are handed on', () => {
    const clock = fakeClock();
    const fanout = keep(new FanoutCache(tempDir(), { shards: 2, now: clock.now }));
    expect(fanout.deque('jobs').cache.settings.evictionPolicy).toBe('none');
    expect(fanout.index('names').cache.settings.evictionPolicy).toBe('none');
    const sub = fanout.cache('sessions');
    expect(sub.settings.evictionPolicy).toBe('least-recently-stored');
    sub.set('s', 1, { expire: 5 });
    clock.advance(6);
    expect(sub.get('s')).toBeUndefined();
  });

  it('refuses names that would leave their folder; closing the FanoutCache closes them all', () => {
    const directory = tempDir();
    const fanout = new FanoutCache(directory, { shards: 2 });
    for (const name of ['', '../escape', 'a//b', 'a/./b', '/abs'])
      expect(() => fanout.cache(name), name).toThrow(InvalidOptionError);
    expect(() => fanout.deque(5 as never)).toThrow(InvalidOptionError);
    expect(existsSync(join(directory, 'escape'))).toBe(false);
    const sub = fanout.cache('a');
    const deque = fanout.deque('q');
    fanout.close();
    expect(() => sub.get('k')).toThrow(CacheStateError);
    expect(() => deque.append(1)).toThrow(CacheStateError);
    expect(() => fanout.index('i')).toThrow(CacheStateError);
  });
});

describe('Averager', () => {
  it('works on a FanoutCache, refuses non-finite values and a key holding something else', () => {
    const fanout = keep(new FanoutCache(tempDir(), { shards: 2 }));
    const ave = new Averager(fanout, 'latency', { expire: 60, tag: 'metrics' });
    ave.add(2);
    ave.add(4);
    expect(ave.get()).toBe(3);
    expect(fanout.get('latency', { tag: true })).toMatchObject({ value: [6, 2], tag: 'metrics' });
    expect(() => ave.add(NaN)).toThrow(InvalidOptionError);
    expect(() => ave.add('1' as never)).toThrow(/finite number/);
    fanout.set('taken', 'a string');
    expect(() => new Averager(fanout, 'taken').get()).toThrow(CacheStateError);
    expect(() => new Averager(fanout, {} as never)).toThrow(InvalidOptionError);
  });
});
