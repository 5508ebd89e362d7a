import { describe, expect, it, vi } from 'vitest';
import {
  FanoutCache,
  InvalidOptionError,
  InvalidValueError,
  Lock,
  LockTimeoutError,
  memoizeAsync,
  memoizeStampedeAsync,
} from '../../engine/index.js';
import { fakeClock, keep, openCache, tempDir } from './helpers.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A function whose calls stay pending until released, counting its calls. */
function gated<T>(make: (arg: number) => T) {
  let release!: () => void;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const fn = Object.assign(
    async (arg: number): Promise<T> => {
      fn.calls++;
      await gate;
      return make(arg);
    },
    { calls: 0 },
  );
  return { fn, open: () => release(), reset: () => (gate = new Promise<void>((resolve) => (release = resolve))) };
}

describe('memoizeAsync', () => {
  it('shares one computation among concurrent calls, stores the resolved value, keys by arguments', async () => {
    const cache = openCache();
    const { fn, open } = gated((id) => ({ id, name: `user ${id}` }));
    const load = memoizeAsync(cache, fn, { name: 'loadUser' });
    const pending = Array.from({ length: 20 }, () => load(1));
    const other = load(2);
    expect(fn.calls).toBe(2); // one per distinct argument, started synchronously by the first calls
    open();
    const results = await Promise.all(pending);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]).toEqual({ id: 1, name: 'user 1' });
    expect(await other).toEqual({ id: 2, name: 'user 2' });
    expect(cache.get(load.cacheKey(1))).toEqual({ id: 1, name: 'user 1' });
    expect(await load(1)).toEqual({ id: 1, name: 'user 1' });
    expect(fn.calls).toBe(2);
    // While it computed, its cross-process lock was held; now it is gone.
    expect(cache.has(`${load.cacheKey(1)}:computing`)).toBe(false);
  });

  it('does not cache a rejection: the callers that shared it get it, the next call computes again', async () => {
    const cache = openCache();
    let calls = 0;
    const flaky = memoizeAsync(
      cache,
      async (x: number) => {
        calls++;
        await tick();
        if (calls === 1) throw new Error('backend down');
        return x * 10;
      },
      { name: 'flaky' },
    );
    const shared = await Promise.allSettled([flaky(1), flaky(1), flaky(1)]);
    expect(shared.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((shared[0] as PromiseRejectedResult).reason).toEqual(new Error('backend down'));
    expect(calls).toBe(1);
    expect(cache.has(flaky.cacheKey(1))).toBe(false);
    expect(cache.has(`${flaky.cacheKey(1)}:computing`)).toBe(false); // the lock is released on failure too
    expect(await flaky(1)).toBe(10);
    expect(calls).toBe(2);
  });

  it('turns a synchronous throw and an unstorable result into rejections, storing nothing', async () => {
    const cache = openCache();
    const throws = memoizeAsync(
      cache,
      (x: number): number => {
        throw new Error(`no ${x}`);
      },
      { name: 'throws' },
    );
    await expect(throws(1)).rejects.toThrow('no 1');
    const nothing = memoizeAsync(cache, async () => undefined as unknown as number, { name: 'nothing' });
    await expect(nothing()).rejects.toBeInstanceOf(InvalidValueError);
    expect(cache.length).toBe(0);
  });

  it('waits for another process on timers (the event loop runs), then answers with its stored value', async () => {
    const cache = openCache();
    const { fn } = gated((x) => x);
    const memo = memoizeAsync(cache, fn, { name: 'square' });
    const key = memo.cacheKey(3);
    const other = new Lock(cache, `${key}:computing`); // what another process computing it holds
    other.acquire();
    const pending = memo(3);
    let ticks = 0;
    for (let i = 0; i < 5; i++) {
      await tick();
      ticks++;
    }
    expect(ticks).toBe(5); // timers ran while the call waited
    expect(fn.calls).toBe(0);
    cache.set(key, 9); // the other process stores its result and lets go
    other.release();
    expect(await pending).toBe(9);
    expect(fn.calls).toBe(0);
  });

  it('takes over when the other process lets go without a result (its computation failed)', async () => {
    const cache = openCache();
    const memo = memoizeAsync(cache, async (x: number) => x + 1, { name: 'inc' });
    const other = new Lock(cache, `${memo.cacheKey(1)}:computing`);
    other.acquire();
    const pending = memo(1);
    await tick();
    other.release();
    expect(await pending).toBe(2);
  });

  it('gives up after timeout with LockTimeoutError, computing nothing', async () => {
    const cache = openCache();
    let calls = 0;
    const memo = memoizeAsync(cache, async (x: number) => (calls++, x), { name: 'slow', timeout: 0.05 });
    new Lock(cache, `${memo.cacheKey(1)}:computing`).acquire();
    const error = await memo(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockTimeoutError);
    expect((error as LockTimeoutError).code).toBe('LOCK_TIMEOUT');
    expect((error as Error).message).toContain('0.05 s');
    expect(calls).toBe(0);
  });

  it('with crossProcess false takes no lock; expire and tag reach the stored entry', async () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    let sawLock: boolean | undefined;
    const memo = memoizeAsync(
      cache,
      async (x: number) => {
        sawLock = cache.has(`${memo.cacheKey(x)}:computing`);
        return x;
      },
      { name: 'local', crossProcess: false, expire: 30, tag: 'local' },
    );
    expect(await memo(4)).toBe(4);
    expect(sawLock).toBe(false);
    expect(cache.get(memo.cacheKey(4), { expireTime: true, tag: true })).toEqual({
      value: 4,
      expireTime: clock.now() + 30,
      tag: 'local',
    });
  });

  it('works on a FanoutCache', async () => {
    const fanout = keep(new FanoutCache(tempDir(), { shards: 2 }));
    const { fn, open } = gated((x) => `v${x}`);
    const memo = memoizeAsync(fanout, fn, { name: 'fanned' });
    const both = [memo(5), memo(5)];
    open();
    expect(await Promise.all(both)).toEqual(['v5', 'v5']);
    expect(fn.calls).toBe(1);
    expect(fanout.get(memo.cacheKey(5))).toBe('v5');
  });

  it('refuses bad options up front, naming them', () => {
    const cache = openCache();
    const f = async (x: number) => x;
    expect(() => memoizeAsync(cache, f, {} as never)).toThrow(/memoizeAsync needs \{ name: '<module>\.f' \}/);
    expect(() => memoizeAsync(cache, f, undefined as never)).toThrow(InvalidOptionError);
    expect(() => memoizeAsync(cache, f, { name: 'f', expires: 5 } as never)).toThrow(/did you mean expire/);
    expect(() => memoizeAsync(cache, f, { name: 'f', expire: '5' } as never)).toThrow(/expire/);
    expect(() => memoizeAsync(cache, f, { name: 'f', lockExpire: 0 })).toThrow(/lockExpire/);
    expect(() => memoizeAsync(cache, f, { name: 'f', timeout: -1 })).toThrow(/timeout/);
    expect(() => memoizeAsync(cache, 5 as never, { name: 'f' })).toThrow(/needs a function/);
  });
});

describe('memoizeStampedeAsync', () => {
  it('computes a miss once; near expiry answers at once and recomputes once in the background', async () => {
    const clock = fakeClock(0);
    const cache = openCache({ now: clock.now });
    let calls = 0;
    let release: (() => void) | undefined;
    const fn = async (x: number) => {
      calls++;
      if (calls === 1)
        clock.advance(1); // delta = 1 s
      else await new Promise<void>((resolve) => (release = resolve)); // delta 0 s: the fake clock stands still
      return x + calls;
    };
    const memo = memoizeStampedeAsync(cache, fn, { name: 'stamp', expire: 10, random: () => 0.5 });
    expect(await Promise.all([memo(1), memo(1)])).toEqual([2, 2]);
    expect(calls).toBe(1);
    expect(cache.get(memo.cacheKey(1))).toEqual([2, 1]);
    clock.advance(5); // ttl 5 > -1 × ln 0.5 ≈ 0.69: no recompute
    expect(await memo(1)).toBe(2);
    expect(calls).toBe(1);
    clock.advance(4.5); // ttl 0.5 < 0.69: recompute early, in the background
    expect(await memo(1)).toBe(2); // the cached value, at once
    expect(await memo(1)).toBe(2); // another caller: no second recompute
    expect(calls).toBe(2);
    expect(cache.has(`${memo.cacheKey(1)}:recompute`)).toBe(true);
    release!();
    await vi.waitFor(() => expect(cache.has(`${memo.cacheKey(1)}:recompute`)).toBe(false));
    expect(cache.get(memo.cacheKey(1))).toEqual([3, 0]);
    expect(await memo(1)).toBe(3);
  });

  it('a failed background recompute keeps the value, frees the marker and reports to onError', async () => {
    const clock = fakeClock(0);
    const cache = openCache({ now: clock.now });
    let calls = 0;
    const errors: unknown[] = [];
    const memo = memoizeStampedeAsync(
      cache,
      async (x: number) => {
        calls++;
        if (calls > 1) throw new Error('refresh failed');
        clock.advance(1);
        return x;
      },
      { name: 'fails', expire: 10, random: () => 0.5, onError: (e) => errors.push(e) },
    );
    expect(await memo(7)).toBe(7);
    clock.advance(9.5);
    expect(await memo(7)).toBe(7);
    await vi.waitFor(() => expect(errors).toEqual([new Error('refresh failed')]));
    expect(cache.has(`${memo.cacheKey(7)}:recompute`)).toBe(false);
    expect(cache.get(memo.cacheKey(7))).toEqual([7, 1]);
  });

  it('needs a name and expire > 0', () => {
    const cache = openCache();
    expect(() => memoizeStampedeAsync(cache, async () => 1, { expire: 5 } as never)).toThrow(/name/);
    expect(() => memoizeStampedeAsync(cache, async () => 1, { name: 'f', expire: 0 })).toThrow(/expire/);
    expect(() => memoizeStampedeAsync(cache, async () => 1, { name: 'f', expire: 5, bta: 2 } as never)).toThrow(
      /did you mean beta/,
    );
  });
});
