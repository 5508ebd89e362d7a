import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EVICTION_POLICY, type EvictionPolicyName } from '../../engine/index.js';
import { fakeClock, openCache } from './helpers.js';

/**
 * Stores keys 0..9 one second apart, then runs `touch` (gets one second apart)
 * so store and access times and counts differ per key; returns the cache.
 */
function fill(policy: EvictionPolicyName, touch: (get: (key: number) => unknown) => void) {
  const clock = fakeClock();
  // cullLimit 0: no set culls here, so all ten rows stay until the caller
  // reopens the directory with a size limit and culling on.
  const cache = openCache({ now: clock.now, evictionPolicy: policy, cullLimit: 0 });
  for (let i = 0; i < 10; i++) {
    cache.set(i, `v${i}`);
    clock.advance(1);
  }
  touch((key) => {
    clock.advance(1);
    return cache.get(key);
  });
  return { cache, clock };
}

describe('eviction policies', () => {
  it('has a SQL snippet table with bookkeeping only for LRU/LFU', () => {
    expect(EVICTION_POLICY['least-recently-stored'].get).toBeNull();
    expect(EVICTION_POLICY['least-recently-used'].get).toMatch(/access_time/);
    expect(EVICTION_POLICY['least-frequently-used'].get).toMatch(/access_count/);
    expect(EVICTION_POLICY.none.cull).toBeNull();
  });

  const cases: [EvictionPolicyName, number[]][] = [
    // Stored first → evicted first, regardless of reads.
    ['least-recently-stored', [0, 1, 2]],
    // 9, 8, 7 were read before all others (and 0, 1, 2 are read later).
    ['least-recently-used', [7, 8, 9]],
    // 0, 1, 2 read three times, 3..9 once: ties go in rowid order.
    ['least-frequently-used', [3, 4, 5]],
  ];
  for (const [policy, expected] of cases) {
    it(`${policy} culls the right rows when volume() reaches sizeLimit`, () => {
      const { cache } = fill(policy, (get) => {
        for (const key of [9, 8, 7, 0, 0, 0, 1, 1, 1, 2, 2, 2, 6, 5, 4, 3]) get(key);
      });
      // Switch to a full cache: reopen with sizeLimit 0 and cullLimit 3, then one set culls 3 rows.
      const dir = cache.directory;
      cache.close();
      const full = openCache({ sizeLimit: 0, cullLimit: 3 }, dir);
      expect(full.settings.evictionPolicy).toBe(policy);
      full.set('trigger', 'x');
      const gone = Array.from({ length: 10 }, (_, i) => i).filter((i) => !full.has(i));
      expect(gone).toEqual(expected);
      expect(full.has('trigger')).toBe(true);
    });
  }

  it('none never culls by size, only expired rows', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now, evictionPolicy: 'none', sizeLimit: 0 });
    for (let i = 0; i < 20; i++) cache.set(i, i);
    expect(cache.length).toBe(20);
    cache.set('e', 1, { expire: 1 });
    clock.advance(2);
    cache.set('x', 1);
    expect(cache.length).toBe(21);
    expect(cache.cull()).toBe(0);
  });

  it('cull() evicts until volume() is under sizeLimit', () => {
    const cache = openCache({ diskMinFileSize: 100 });
    for (let i = 0; i < 30; i++) cache.set(i, 'x'.repeat(1000));
    const before = cache.volume();
    cache.close();
    const limited = openCache({ sizeLimit: before - 10_000 }, cache.directory);
    const removed = limited.cull();
    expect(removed).toBeGreaterThan(0);
    expect(limited.volume()).toBeLessThan(before - 10_000);
    expect(limited.has(29)).toBe(true); // newest stays under least-recently-stored
  });

  it('LRU/LFU bookkeeping happens only under that policy', () => {
    const clock = fakeClock();
    const lrs = openCache({ now: clock.now });
    lrs.set('a', 1);
    const lfu = openCache({ now: clock.now, evictionPolicy: 'least-frequently-used' });
    lfu.set('a', 1);
    for (let i = 0; i < 3; i++) {
      lrs.get('a');
      lfu.get('a');
    }
    const count = (dir: string) => {
      // Peek at the row directly: the public API does not expose access_count.
      const db = new Database(`${dir}/cache.db`, { readonly: true });
      const n = db.prepare('SELECT access_count FROM Cache').pluck().get() as number;
      db.close();
      return n;
    };
    expect(count(lrs.directory)).toBe(0);
    expect(count(lfu.directory)).toBe(3);
  });
});

describe('volume() with freed pages', () => {
  it('counts pages in use, not the freelist: with auto_vacuum none, a cull to 90 % keeps most of the cache', () => {
    const cache = openCache({ sqliteAutoVacuum: 'none' });
    for (let i = 0; i < 2000; i++) cache.set(i, 'x'.repeat(400));
    const full = cache.volume();
    cache.clear();
    // The file keeps its pages (on the freelist); volume() must drop anyway.
    expect(cache.volume()).toBeLessThan(full / 4);
    // Deleting rows one by one leaves freed pages too; a cull to 90 % must stop near 90 %.
    for (let i = 0; i < 2000; i++) cache.set(i, 'x'.repeat(400));
    for (let i = 0; i < 2000; i += 2) cache.delete(i);
    for (let i = 0; i < 2000; i += 2) cache.set(i, 'x'.repeat(400));
    const before = cache.volume();
    cache.close();
    const reopened = openCache({ sizeLimit: Math.floor(before * 0.9) }, cache.directory);
    const removed = reopened.cull();
    expect(removed).toBeGreaterThan(0);
    expect(reopened.length).toBeGreaterThan(2000 * 0.7);
  });
});
