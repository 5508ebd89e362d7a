import { describe, expect, it } from 'vitest';
import { BoundedSemaphore, InvalidOptionError, Lock, LockTimeoutError, RLock } from '../../engine/index.js';
import { openCache } from './helpers.js';

/** The error `fn` throws (fails the test when it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('acquire timeouts', () => {
  it('Lock: acquire and acquireAsync give up after timeout with LockTimeoutError naming the lock', async () => {
    const cache = openCache();
    const held = new Lock(cache, 'report');
    held.acquire();
    const waiter = new Lock(cache, 'report');
    const error = thrown(() => waiter.acquire({ timeout: 0.03 }));
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as LockTimeoutError).lock).toBe('Lock "report"');
    expect((error as LockTimeoutError).timeoutSeconds).toBe(0.03);
    await expect(waiter.acquireAsync({ timeout: 0.03 })).rejects.toBeInstanceOf(LockTimeoutError);
    expect(() => waiter.acquire({ timeout: 0 })).toThrow(LockTimeoutError); // one try
    held.release();
    waiter.acquire({ timeout: 0 }); // free: taken at the first try
    expect(waiter.locked()).toBe(true);
    waiter.release();
    await waiter.acquireAsync({ timeout: 1 });
    waiter.release();
  });

  it('RLock held by another owner, and a full BoundedSemaphore, time out too', async () => {
    const cache = openCache();
    cache.set('rlock', ['another-process', 1]); // what another process's RLock stores
    const rlock = new RLock(cache, 'rlock');
    expect(() => rlock.acquire({ timeout: 0.02 })).toThrow(/RLock "rlock" was still held after 0.02 s/);
    await expect(rlock.acquireAsync({ timeout: 0.02 })).rejects.toBeInstanceOf(LockTimeoutError);
    const semaphore = new BoundedSemaphore(cache, 'slots', 2);
    semaphore.acquire({ timeout: 0 });
    semaphore.acquire({ timeout: 0 });
    expect(() => semaphore.acquire({ timeout: 0.02 })).toThrow(/BoundedSemaphore "slots"/);
    await expect(semaphore.acquireAsync({ timeout: 0.02 })).rejects.toBeInstanceOf(LockTimeoutError);
    semaphore.release();
    semaphore.acquire({ timeout: 0 });
  });

  it('acquireAsync waits on timers: the event loop runs while it waits', async () => {
    const cache = openCache();
    const held = new Lock(cache, 'busy');
    held.acquire();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    setTimeout(() => held.release(), 30);
    await new Lock(cache, 'busy').acquireAsync({ timeout: 10 });
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);
  });

  it('refuses a bad timeout before waiting', () => {
    const lock = new Lock(openCache(), 'k');
    expect(() => lock.acquire({ timeout: -1 })).toThrow(InvalidOptionError);
    expect(() => lock.acquire({ timeout: NaN })).toThrow(/timeout/);
    expect(() => lock.acquire(5 as never)).toThrow(/acquire takes \{ timeout: seconds \}/);
  });
});
