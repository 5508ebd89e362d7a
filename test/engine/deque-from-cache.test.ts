import { describe, expect, it } from 'vitest';
import { Deque } from '../../engine/index.js';
import { openCache } from './helpers.js';

describe("Deque.fromCache leaves the cache's other keys alone", () => {
  it('remove() skips a non-item key holding an equal value, clear() removes only items', () => {
    const cache = openCache();
    cache.set('config', 'x');
    cache.set(2.5, 'x');
    const deque = Deque.fromCache(cache);
    deque.append('a');
    deque.append('x');
    expect(deque.remove('x')).toBe(true);
    expect(cache.get(2.5)).toBe('x');
    expect(deque.toArray()).toEqual(['a']);
    deque.clear();
    expect(deque.length).toBe(0);
    expect(cache.get('config')).toBe('x');
    expect(cache.get(2.5)).toBe('x');
    expect(cache.length).toBe(2);
  });
});
