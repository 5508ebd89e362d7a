import { describe, expect, it } from 'vitest';
import { Cache, Deque, Index } from '../../engine/index.js';
import { tempDir } from './helpers.js';

describe('Deque', () => {
  it('in a directory that also holds ordinary keys: maxlen trims only its items, length and items ignore the others', () => {
    const dir = tempDir();
    const cache = new Cache(dir);
    cache.set('config', 1);
    cache.set('other', 2);
    cache.set(2.5, 'a float key is not an item either');
    cache.close();
    const deque = new Deque(dir, { maxlen: 1 });
    deque.append('a'); // used to pull forever: the cache's length never fell to maxlen
    deque.append('b');
    expect(deque.toArray()).toEqual(['b']);
    expect(deque.length).toBe(1);
    expect(deque.cache.get('config')).toBe(1);
    expect(deque.cache.length).toBe(4);
    deque.close();
  });

  it('appends and pops at both ends, and persists across reopen', () => {
    const dir = tempDir();
    const deque = new Deque(dir);
    deque.append(2);
    deque.append('three');
    deque.appendleft(1);
    deque.extend([{ four: 4 }, Buffer.from([5])]);
    deque.extendleft(['b', 'a']);
    expect(deque.length).toBe(7);
    expect(deque.toArray()).toEqual(['a', 'b', 1, 2, 'three', { four: 4 }, Buffer.from([5])]);
    deque.close();
    const again = new Deque(dir);
    expect(again.peekleft()).toBe('a');
    expect(again.peek()).toEqual(Buffer.from([5]));
    expect(again.popleft()).toBe('a');
    expect(again.pop()).toEqual(Buffer.from([5]));
    expect([...again.reversed()]).toEqual([{ four: 4 }, 'three', 2, 1, 'b']);
    again.clear();
    expect(again.pop()).toBeUndefined();
    expect(again.popleft()).toBeUndefined();
    again.close();
  });

  it('indexes from both ends, sets and deletes by position', () => {
    const deque = new Deque(tempDir());
    deque.extend([10, 20, 30, 40]);
    expect([deque.at(0), deque.at(3), deque.at(-1), deque.at(-4), deque.at(4), deque.at(-5)]).toEqual([
      10,
      40,
      40,
      10,
      undefined,
      undefined,
    ]);
    deque.setAt(1, 21);
    deque.deleteAt(-2);
    expect(deque.toArray()).toEqual([10, 21, 40]);
    expect(() => deque.setAt(3, 0)).toThrow(RangeError);
    expect(() => deque.at(1.5)).toThrow(/index/);
    deque.close();
  });

  it('maxlen drops from the other end; rotate, remove and count', () => {
    const deque = new Deque(tempDir(), { maxlen: 3 });
    deque.extend([1, 2, 3, 4, 5]);
    expect(deque.toArray()).toEqual([3, 4, 5]);
    deque.appendleft(2);
    expect(deque.toArray()).toEqual([2, 3, 4]);
    deque.maxlen = undefined;
    deque.extend([5, 3]);
    deque.rotate(2);
    expect(deque.toArray()).toEqual([5, 3, 2, 3, 4]);
    deque.rotate(-1);
    expect(deque.toArray()).toEqual([3, 2, 3, 4, 5]);
    expect(deque.count(3)).toBe(2);
    expect(deque.remove(3)).toBe(true);
    expect(deque.remove(99)).toBe(false);
    expect(deque.toArray()).toEqual([2, 3, 4, 5]);
    deque.maxlen = 2;
    expect(deque.toArray()).toEqual([4, 5]);
    expect(() => new Deque(tempDir(), { maxlen: -1 })).toThrow(/maxlen/);
    deque.close();
  });

  it('works over an existing Cache', () => {
    const cache = new Cache(tempDir());
    const deque = Deque.fromCache(cache, { maxlen: 2 });
    deque.extend(['x', 'y', 'z']);
    expect(deque.toArray()).toEqual(['y', 'z']);
    cache.close();
  });
});

describe('Index', () => {
  it('is a persistent mapping in insertion order', () => {
    const dir = tempDir();
    const index = new Index(dir);
    index.set('b', 1).set('a', 2).set(3, 'three');
    index.set('b', 10); // replacing keeps the place
    expect([...index]).toEqual(['b', 'a', 3]);
    expect([...index.items()]).toEqual([
      ['b', 10],
      ['a', 2],
      [3, 'three'],
    ]);
    expect(index.get('missing', 'fallback')).toBe('fallback');
    expect(index.setdefault('a', 99)).toBe(2);
    expect(index.setdefault('c', 99)).toBe(99);
    index.close();
    const again = new Index(dir);
    expect(again.length).toBe(4);
    expect(again.peekitem()).toEqual(['c', 99]);
    expect(again.popitem(false)).toEqual(['b', 10]);
    expect(again.popitem()).toEqual(['c', 99]);
    expect(again.pop('a')).toBe(2);
    expect(again.has('a')).toBe(false);
    expect([...again.values()]).toEqual(['three']);
    again.update([
      ['x', 1],
      ['y', 2],
    ]);
    expect(again.delete('x')).toBe(true);
    expect([...again.keys()]).toEqual([3, 'y']);
    again.clear();
    expect(again.popitem()).toBeUndefined();
    expect(again.cache.settings.evictionPolicy).toBe('none');
    again.close();
  });
});
