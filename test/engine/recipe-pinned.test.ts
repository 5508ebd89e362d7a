import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import { Cache, Lock } from '../../engine/index.js';
import { openCache, tempDir } from './helpers.js';

const CHILD = new URL('./fixtures/recipe-holder.ts', import.meta.url);

describe('recipe state is never evicted', () => {
  it('a held Lock and semaphore survive heavy writes under a small sizeLimit: a second process cannot take them', async () => {
    const dir = tempDir();
    for (const policy of ['least-recently-stored', 'least-frequently-used'] as const) {
      new Cache(dir, { sizeLimit: 200_000, cullLimit: 5, evictionPolicy: policy }).close(); // stored in cache.db for the children
      const holder = forkModule(CHILD, ['hold', dir]);
      try {
        const [held] = await once(holder, 'message');
        expect(held).toBe('held');
        const writer = new Cache(dir);
        for (let i = 0; i < 60; i++) writer.set(`${policy}-${i}`, Buffer.alloc(40_000, i));
        expect(writer.stats().evictions).toBeGreaterThan(40);
        expect(writer.has('job-lock')).toBe(true);
        writer.close();
        const trier = forkModule(CHILD, ['try', dir]);
        const [result] = await once(trier, 'message');
        expect(result).toEqual({ lock: false, semaphore: false });
      } finally {
        holder.send('release');
        await once(holder, 'exit');
      }
    }
  }, 60_000);

  it('pin is a store option: a pinned key outlives the culls, a later plain set unpins it', () => {
    const cache = openCache({ sizeLimit: 100_000, cullLimit: 5 });
    cache.set('pinned', 'stays', { pin: true });
    for (let i = 0; i < 20; i++) cache.set(`v${i}`, Buffer.alloc(40_000, i));
    expect(cache.get('pinned')).toBe('stays');
    cache.set('pinned', 'plain now');
    for (let i = 20; i < 40; i++) cache.set(`v${i}`, Buffer.alloc(40_000, i));
    expect(cache.get('pinned')).toBeUndefined();
    const lock = new Lock(cache, 'l', { expire: 5 });
    expect(lock.tryAcquire()).toBe(true);
    for (let i = 40; i < 60; i++) cache.set(`v${i}`, Buffer.alloc(40_000, i));
    expect(lock.locked()).toBe(true);
  });
});
