import { describe, expect, it } from 'vitest';
import { Cache, Disk, FanoutCache, type StoredValue } from '../../engine/index.js';
import { keep, openCache, tempDir } from './helpers.js';

/**
 * Records every spill file as 300 MB (the file itself stays small), so the
 * default 1 GiB limit is reached after four values without writing a GiB.
 */
class HugeSizes extends Disk {
  override store(value: unknown, read = false): StoredValue {
    const out = super.store(value, read);
    if (out.filename !== null) out.size = 300_000_000;
    return out;
  }
}

describe('stats().evictions', () => {
  it('counts rows evicted by policy, not expired ones; persisted across reopen; reset zeroes it', () => {
    const dir = tempDir();
    let t = 1000;
    const cache = new Cache(dir, { sizeLimit: 200_000, cullLimit: 1, now: () => t });
    cache.set('short', 1, { expire: 1 });
    t += 2;
    for (let i = 0; i < 8; i++) cache.set(`v${i}`, Buffer.alloc(40_000, i)); // the first set culls the expired row
    expect(cache.has('v0')).toBe(false);
    const evictions = cache.stats().evictions;
    expect(evictions).toBe(9 - 1 - cache.length); // 9 rows written, one expired, the rest evicted
    expect(evictions).toBeGreaterThan(0);
    cache.close();
    const reopened = keep(new Cache(dir));
    expect(reopened.stats({ reset: true }).evictions).toBe(evictions);
    expect(reopened.stats().evictions).toBe(0);
  });

  it('cull() counts too, and a FanoutCache sums its shards', () => {
    const fanout = keep(new FanoutCache(tempDir(), { shards: 2, sizeLimit: 400_000 }));
    for (let i = 0; i < 30; i++) fanout.set(`v${i}`, Buffer.alloc(40_000, i));
    const stats = fanout.stats();
    expect(stats.evictions).toBe(30 - fanout.length);
    expect(stats.evictions).toBe(stats.shards[0]!.evictions + stats.shards[1]!.evictions);
  });
});

describe('the first eviction under the default size limit', () => {
  it('emits one process warning naming the option to set; an explicit other limit emits none', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      const explicit = openCache({ sizeLimit: 100_000, disk: HugeSizes });
      for (let i = 0; i < 4; i++) explicit.set(`v${i}`, Buffer.alloc(40_000, i));
      expect(explicit.stats().evictions).toBeGreaterThan(0);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual([]);

      const cache = openCache({ disk: HugeSizes });
      for (let i = 0; i < 8; i++) cache.set(`v${i}`, Buffer.alloc(40_000, i));
      expect(cache.stats().evictions).toBeGreaterThan(1);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => [w.name, (w as { code?: string }).code])).toEqual([
        ['CacheEvictionWarning', 'CACHEBENCH_DEFAULT_SIZE_LIMIT'],
      ]);
      expect(warnings[0]!.message).toMatch(/default sizeLimit of 1 GiB .*pass sizeLimit/);
    } finally {
      process.off('warning', listen);
    }
  });
});
