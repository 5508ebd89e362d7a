import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BoundedSemaphore, Cache, CacheStateError, FanoutCache, Lock, RLock, barrier } from '../../engine/index.js';
import { forkModule, siblingModule } from '../../harness/fork-module.js';
import { keep, openCache, tempDir } from './helpers.js';
import { runChildren } from './recipe-processes.js';

/** Another process holds the write lock of db for ms; resolves once it has it. */
function holdWriteLock(db: string, ms: number): Promise<ChildProcess> {
  const child = forkModule(siblingModule(import.meta.url, 'fixtures/hold-write-lock'), [db, String(ms)]);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('error', reject);
  });
}

describe('Lock, RLock, BoundedSemaphore in one process', () => {
  it('Lock.release on a FanoutCache whose shard another process keeps locked waits for it, never leaves the lock held', async () => {
    const dir = tempDir();
    const fanout = new FanoutCache(dir, { shards: 2, timeout: 0.01 });
    const lock = new Lock(fanout, 'L');
    lock.acquire();
    const shard = String(fanout.shardIndex('L')).padStart(3, '0');
    const child = await holdWriteLock(join(dir, shard, 'cache.db'), 300);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    lock.release(); // a bare delete would time out after 10 ms and answer false
    await exited;
    expect(lock.locked()).toBe(false);
    fanout.close();
  });

  it('Lock: held while the key exists; not re-entrant', () => {
    const cache = openCache();
    const lock = new Lock(cache, 'l');
    expect(lock.locked()).toBe(false);
    expect(lock.tryAcquire()).toBe(true);
    expect(lock.tryAcquire()).toBe(false);
    expect(lock.locked()).toBe(true);
    lock.release();
    expect(lock.run(() => lock.locked())).toBe(true);
    expect(lock.locked()).toBe(false);
  });

  it('RLock: re-entrant for its owner, released as often as acquired', () => {
    const cache = openCache();
    const lock = new RLock(cache, 'r');
    lock.acquire();
    lock.acquire();
    lock.release();
    expect(cache.has('r')).toBe(true);
    lock.release();
    expect(cache.has('r')).toBe(false);
    expect(() => lock.release()).toThrow(CacheStateError);
  });

  it('BoundedSemaphore: value slots, refuses a release beyond them', () => {
    const cache = openCache();
    const semaphore = new BoundedSemaphore(cache, 's', 2);
    expect([semaphore.tryAcquire(), semaphore.tryAcquire(), semaphore.tryAcquire()]).toEqual([true, true, false]);
    semaphore.release();
    expect(semaphore.tryAcquire()).toBe(true);
    semaphore.release();
    semaphore.release();
    expect(() => semaphore.release()).toThrow(CacheStateError);
    expect(() => new BoundedSemaphore(cache, 's', 0)).toThrow(/value/);
  });

  it('acquireAsync waits (without blocking the event loop) while the lock is held and takes it once released', async () => {
    const cache = openCache();
    const holder = new Lock(cache, 'a');
    const waiter = new Lock(cache, 'a');
    holder.acquire();
    let taken = false;
    const acquired = waiter.acquireAsync().then(() => (taken = true));
    // Timers run meanwhile (the thread is not blocked); the lock is still held, so it cannot have been taken.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(taken).toBe(false);
    holder.release();
    await acquired;
    expect(taken).toBe(true);
    expect(waiter.locked()).toBe(true);
    expect(holder.tryAcquire()).toBe(false);
    waiter.release();
  });

  it('barrier runs calls under a lock (and works on a FanoutCache)', () => {
    const fanout = new FanoutCache(tempDir(), { shards: 2 });
    const probe = new Lock(fanout, 'barrier:guarded');
    const guarded = barrier(
      fanout,
      function guarded() {
        return probe.locked();
      },
      { name: 'guarded' },
    );
    expect(guarded()).toBe(true);
    expect(probe.locked()).toBe(false);
    fanout.close();
  });
});

describe('across processes', () => {
  it('a Lock held by this process excludes another; released, the other gets it', async () => {
    const dir = join(tempDir(), 'cache');
    const cache = new Cache(dir);
    const lock = new Lock(cache, 'lock');
    lock.acquire();
    expect(await runChildren(1, 'try-lock', dir, [], 1500)).toEqual([false]);
    lock.release();
    expect(await runChildren(1, 'try-lock', dir, [], 1500)).toEqual([true]);
    cache.close();
  });

  it('an RLock held (twice) by this process excludes another until fully released', async () => {
    const dir = join(tempDir(), 'cache');
    const cache = new Cache(dir);
    const lock = new RLock(cache, 'rlock');
    lock.acquire();
    lock.acquire();
    lock.release();
    expect(await runChildren(1, 'try-rlock', dir, [], 1500)).toEqual([false]);
    lock.release();
    expect(await runChildren(1, 'try-rlock', dir, [], 1500)).toEqual([true]);
    cache.close();
  });

  /** Runs `mode` in 3 processes × 15 sections and checks that no two were ever inside at once. */
  async function exclusive(mode: string, dir: string): Promise<void> {
    await runChildren(3, mode, dir, [15]);
    const state = new Cache(`${dir}-state`);
    try {
      expect(state.get('sections')).toBe(45);
      expect(state.get('max')).toBe(1);
      expect(state.get('inside')).toBe(0);
    } finally {
      state.close();
    }
  }

  it('barrier: 3 processes × 15 calls of a wrapped function, never two inside at once', async () => {
    await exclusive('barrier', join(tempDir(), 'cache'));
  });

  it('Lock on a FanoutCache (4 shards, 10 ms timeout): 3 processes × 15 sections, never two inside at once', async () => {
    const dir = join(tempDir(), 'fanout');
    await exclusive('fanout-lock', dir);
    const fanout = keep(new FanoutCache(dir));
    expect(fanout.shardCount).toBe(4); // the children really used a FanoutCache there
    expect(new Lock(fanout, 'lock').locked()).toBe(false);
  });

  it('Lock.acquireAsync: 3 processes × 15 sections taken with acquireAsync, never two inside at once', async () => {
    await exclusive('lock-async', join(tempDir(), 'cache'));
  });

  it('3 processes × 15 Lock sections: never two inside at once; 3 processes with a 2-slot semaphore: never three', async () => {
    const dir = join(tempDir(), 'cache');
    await runChildren(3, 'lock', dir, [15]);
    const state = new Cache(`${dir}-state`);
    expect(state.get('sections')).toBe(45);
    expect(state.get('max')).toBe(1);
    expect(state.get('inside')).toBe(0);
    state.clear();
    await runChildren(3, 'semaphore', dir, [15]);
    expect(state.get('sections')).toBe(45);
    expect(state.get('max')).toBeLessThanOrEqual(2);
    state.close();
  });
});
