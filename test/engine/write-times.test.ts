import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDLE_LIMIT_FACTOR, checkpointCommits } from '../../engine/checkpointer.js';
import { FanoutCache, type LockWaitMode } from '../../engine/index.js';
import { openCache, tempDir } from './helpers.js';
import { holdWriteLock } from './lock-holder.js';
import { WriteTimer } from '../../engine/write-timing.js';

const CHECKPOINT_COMMITS = checkpointCommits(1000);
const IDLE_CHECKPOINT_LIMIT = IDLE_LIMIT_FACTOR * CHECKPOINT_COMMITS;

/**
 * stats().writes counts where writes spent their time: a set that met a
 * write lock held by another (real) process counts a lock wait, and the
 * engine's own checkpoints (walCheckpoint 'commit' / 'idle') are counted
 * where they run. No figure is asserted beyond "more than 0".
 */

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

for (const lockWait of ['sqlite', 'poll', 'bounded'] as LockWaitMode[]) {
  describe(`lock waits (lockWait ${lockWait})`, () => {
    it('a set that waits for another process to release the write lock counts one lock wait and its time', async () => {
      const dir = tempDir();
      const cache = openCache({ lockWait, timeout: 30 }, dir);
      cache.set('before', 1);
      expect(cache.stats({ reset: true }).writes.transactions).toBeGreaterThan(0);
      await holdWriteLock(join(dir, 'cache.db'), 100);
      expect(cache.set('k', 1)).toBe(true); // waits until the holder rolls back
      const { writes } = cache.stats();
      expect(writes.lockWaits).toBeGreaterThanOrEqual(1);
      expect(writes.lockWaitNs).toBeGreaterThan(0);
      // The set and stats()'s own read transaction.
      expect(writes.transactions).toBe(2);
    });
  });
}

describe('FanoutCache', () => {
  it("sums its shards' lock waits; reset zeroes them", async () => {
    const dir = tempDir();
    const fanout = new FanoutCache(dir, { shards: 2, timeout: 30 });
    try {
      const shard = fanout.shardIndex('k');
      await holdWriteLock(join(dir, String(shard).padStart(3, '0'), 'cache.db'), 100);
      expect(fanout.set('k', 1)).toBe(true);
      const stats = fanout.stats({ reset: true });
      expect(stats.writes.lockWaits).toBeGreaterThanOrEqual(1);
      expect(stats.shards[shard]!.writes.lockWaits).toBe(stats.writes.lockWaits);
      expect(fanout.stats().writes.lockWaits).toBe(0);
    } finally {
      fanout.close();
    }
  });
});

describe('WriteTimer', () => {
  const aMillisecondAgo = (): bigint => process.hrtime.bigint() - 1_000_000n;

  it('under the busy handler a BEGIN that took 1 ms counts as a lock wait: the wait is out of sight', () => {
    const timer = new WriteTimer(false);
    timer.began(aMillisecondAgo(), false);
    expect(timer.read(false).lockWaits).toBe(1);
  });

  it('when the engine waits itself, only a BEGIN that met SQLITE_BUSY counts, however long a first try took', () => {
    const timer = new WriteTimer(true);
    timer.began(aMillisecondAgo(), false); // descheduled on a busy machine, say: no other connection's lock
    expect(timer.read(false).lockWaits).toBe(0);
    timer.began(aMillisecondAgo(), true);
    const times = timer.read(false);
    expect(times.lockWaits).toBe(1);
    expect(times.lockWaitNs).toBeGreaterThanOrEqual(1_000_000);
    expect(times.transactions).toBe(2);
  });
});

describe('checkpoints the engine runs itself', () => {
  it("walCheckpoint 'auto' leaves SQLite's automatic checkpoint on and counts none of its own", () => {
    const cache = openCache();
    expect(cache.settings.walCheckpoint).toBe('auto');
    for (let i = 0; i < CHECKPOINT_COMMITS; i++) cache.set(`k${i % 10}`, i);
    expect(cache.stats().writes.checkpoints).toBe(0);
  });

  it("walCheckpoint 'commit' turns SQLite's off and checkpoints after the commit that reaches the count, timed", () => {
    const dir = tempDir();
    const cache = openCache({ walCheckpoint: 'commit' }, dir);
    cache.stats({ reset: true }); // opening wrote too
    for (let i = 0; i < CHECKPOINT_COMMITS - 2; i++) cache.set(`k${i % 10}`, i);
    // stats() is a transaction too: CHECKPOINT_COMMITS - 1 commits so far, no checkpoint.
    expect(cache.stats().writes.checkpoints).toBe(0);
    cache.set('last', 1);
    const { writes } = cache.stats();
    expect(writes.checkpoints).toBe(1);
    expect(writes.checkpointNs).toBeGreaterThan(0);
  });

  it('sqliteWalAutocheckpoint sets how often: 40 pages are 10 commits', () => {
    const cache = openCache({ walCheckpoint: 'commit', sqliteWalAutocheckpoint: 40 });
    cache.stats({ reset: true });
    for (let i = 0; i < 29; i++) cache.set(`k${i % 10}`, i);
    // With stats()'s own transaction: 30 commits, three checkpoints.
    expect(cache.stats().writes.checkpoints).toBe(3);
  });

  it("walCheckpoint 'idle' checkpoints when the event loop runs next, not inside a set; inline only past the limit", async () => {
    const cache = openCache({ walCheckpoint: 'idle' });
    cache.stats({ reset: true });
    for (let i = 0; i < CHECKPOINT_COMMITS; i++) cache.set(`k${i % 10}`, i);
    expect(cache.stats().writes.checkpoints).toBe(0);
    await yieldToEventLoop();
    expect(cache.stats().writes.checkpoints).toBe(1);
    // A caller that never yields: the WAL is checkpointed inline at the limit.
    for (let i = 0; i < IDLE_CHECKPOINT_LIMIT; i++) cache.set(`k${i % 10}`, i);
    expect(cache.stats().writes.checkpoints).toBe(2);
  });
});
