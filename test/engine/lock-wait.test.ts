import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, CacheTimeoutError, FanoutCache, type LockWaitMode } from '../../engine/index.js';
import { forkModule, siblingModule } from '../../harness/fork-module.js';
import { openCache, tempDir } from './helpers.js';
import { holdWriteLock, killAfterTest } from './lock-holder.js';

/**
 * Waiting for another process's write lock (Core.begin's own wait in WAL
 * mode, SQLite's busy handler otherwise): a lock that outlasts `timeout` is a
 * CacheTimeoutError (a counted timeout in FanoutCache), one freed in time is
 * waited for, and reads never wait. Real processes hold the locks; nothing
 * here asserts how long anything took.
 */

/** Every way of waiting: SQLite's busy handler (the default) and the engine's own two pause schedules. */
const LOCK_WAITS: LockWaitMode[] = ['sqlite', 'poll', 'bounded'];

/** Kills a holder and waits until it is gone, so its lock is freed. */
function release(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return gone;
}

/** Resolves when the child has exited by itself (the holder's timer released the lock). */
function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', resolve));
}

for (const lockWait of LOCK_WAITS) {
  describe(`a write lock held by another process (lockWait ${lockWait})`, () => {
    it('Cache: a set that cannot get it within timeout throws CacheTimeoutError naming timeout, stores nothing, leaves no spill file', async () => {
      const dir = tempDir();
      const cache = openCache({ timeout: 0.05, lockWait }, dir);
      cache.set('before', 1);
      const holder = await holdWriteLock(join(dir, 'cache.db'), 120_000);
      const big = 'x'.repeat(100_000); // over diskMinFileSize: a spill file is written before the lock is asked for
      let thrown: unknown;
      try {
        cache.set('k', big);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CacheTimeoutError);
      expect((thrown as CacheTimeoutError).code).toBe('CACHE_TIMEOUT');
      expect((thrown as Error).message).toMatch(/locked for more than 0\.05 s \(the timeout option\)/);
      expect(((thrown as Error).cause as { code?: string }).code).toMatch(/^SQLITE_BUSY/);
      // The other write paths wait the same way.
      expect(() => cache.incr('n')).toThrow(CacheTimeoutError);
      expect(() => cache.transact(() => cache.set('t', 1))).toThrow(CacheTimeoutError);
      expect(() => cache.delete('before')).toThrow(CacheTimeoutError);
      // Reads do not need the lock.
      expect(cache.get('before')).toBe(1);
      expect(cache.getMany(['before', 'k'])).toEqual([1, undefined]);
      await release(holder);
      expect(cache.get('k')).toBeUndefined();
      expect(cache.get('n')).toBeUndefined();
      expect(cache.check({ orphanAge: 0 })).toEqual([]); // the timed-out set's spill file was removed
      expect(cache.set('k', 'after')).toBe(true);
      expect(cache.get('k')).toBe('after');
    });

    it('Cache with timeout 0: a held lock fails the set at once with the same error', async () => {
      const dir = tempDir();
      const cache = openCache({ timeout: 0, lockWait }, dir);
      const holder = await holdWriteLock(join(dir, 'cache.db'), 120_000);
      expect(() => cache.set('k', 1)).toThrow(/locked for more than 0 s \(the timeout option\)/);
      await release(holder);
      expect(cache.set('k', 1)).toBe(true);
    });

    it('FanoutCache: a set on the locked shard answers false and counts one timeout; other shards are not held up', async () => {
      const dir = tempDir();
      const fanout = new FanoutCache(dir, { shards: 2, timeout: 0.05, lockWait });
      try {
        const locked = fanout.shardIndex('k');
        const other = ['a', 'b', 'c', 'd', 'e', 'f'].find((key) => fanout.shardIndex(key) !== locked)!;
        const holder = await holdWriteLock(join(dir, String(locked).padStart(3, '0'), 'cache.db'), 120_000);
        expect(fanout.set('k', 1)).toBe(false);
        expect(fanout.timeouts).toBe(1);
        expect(fanout.set(other, 2)).toBe(true);
        expect(fanout.timeouts).toBe(1);
        expect(fanout.get('k')).toBeUndefined();
        await release(holder);
        expect(fanout.set('k', 3)).toBe(true);
        expect(fanout.get('k')).toBe(3);
        expect(fanout.get(other)).toBe(2);
        expect(fanout.timeouts).toBe(1);
      } finally {
        fanout.close();
      }
    });

    it('Cache: a set that meets a lock freed before timeout waits for it and succeeds', async () => {
      const dir = tempDir();
      const cache = openCache({ timeout: 60, lockWait }, dir);
      const holder = await holdWriteLock(join(dir, 'cache.db'), 300);
      // Synchronous: this blocks until the holder's own timer has rolled back and exited.
      expect(cache.set('k', 'v')).toBe(true);
      expect(await exited(holder)).toBe(0);
      expect(cache.get('k')).toBe('v');
    });

    it('FanoutCache: a set that meets a lock freed before timeout succeeds without a timeout', async () => {
      const dir = tempDir();
      const fanout = new FanoutCache(dir, { shards: 2, timeout: 60, lockWait });
      try {
        const holder = await holdWriteLock(join(dir, String(fanout.shardIndex('k')).padStart(3, '0'), 'cache.db'), 300);
        expect(fanout.set('k', 'v')).toBe(true);
        expect(await exited(holder)).toBe(0);
        expect(fanout.timeouts).toBe(0);
        expect(fanout.get('k')).toBe('v');
      } finally {
        fanout.close();
      }
    });
  });
}

describe('a write lock held by another process, another journal mode', () => {
  // A journal mode other than WAL keeps SQLite's busy handler: readers there need it too.
  it('journal mode delete: a lock freed in time is waited for, one held past timeout is CacheTimeoutError', async () => {
    const dir = tempDir();
    const cache = openCache({ sqliteJournalMode: 'delete', timeout: 60 }, dir);
    expect(cache.settings.sqliteJournalMode).toBe('delete');
    const briefly = await holdWriteLock(join(dir, 'cache.db'), 300);
    expect(cache.set('k', 'v')).toBe(true);
    expect(await exited(briefly)).toBe(0);
    const short = openCache({ sqliteJournalMode: 'delete', timeout: 0.05 }, dir);
    const holder = await holdWriteLock(join(dir, 'cache.db'), 120_000);
    expect(() => short.set('k', 'w')).toThrow(/locked for more than 0\.05 s \(the timeout option\)/);
    await release(holder);
    expect(short.get('k')).toBe('v');
  });
});

interface Report {
  ops: number;
  error?: string;
}

/** Runs one process per role on `dir` for `seconds`, started at one instant; resolves with their reports. */
async function together(dir: string, roles: string[], seconds: number, lockWait: LockWaitMode): Promise<Report[]> {
  const module = siblingModule(import.meta.url, 'fixtures/lock-wait-child');
  const children = roles.map((role) => forkModule(module, [dir, role, String(seconds), lockWait]));
  killAfterTest(...children);
  const next = (child: ChildProcess): Promise<unknown> =>
    new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('error', reject);
      child.once('exit', (code) =>
        reject(new Error(`a ${roles[children.indexOf(child)]} exited (${code}) before reporting`)),
      );
    });
  await Promise.all(children.map(next));
  const reports = children.map((child) => next(child) as Promise<Report>);
  const startAt = Date.now() + 300;
  for (const child of children) child.send({ startAt });
  return Promise.all(reports);
}

describe('reads while other processes write', () => {
  it.each(LOCK_WAITS)(
    'lockWait %s: 3 writer processes and 2 reader processes for 3 s: every write waits its turn, no read ever fails',
    async (lockWait) => {
      const dir = join(tempDir(), 'cache');
      new Cache(dir).close(); // created first: the test is about running, not opening
      const roles = ['writer', 'writer', 'writer', 'reader', 'reader'];
      const reports = await together(dir, roles, 3, lockWait);
      expect(reports.map((r) => r.error ?? 'ok')).toEqual(roles.map(() => 'ok'));
      expect(reports.every((r) => r.ops > 0)).toBe(true);
      // Writer op i is an incr when i % 4 === 2: the counter holds every acknowledged one.
      const incrs = reports.slice(0, 3).reduce((sum, r) => sum + Math.floor((r.ops + 1) / 4), 0);
      const cache = new Cache(dir);
      try {
        expect(cache.get('counter')).toBe(incrs);
        expect(cache.check()).toEqual([]);
      } finally {
        cache.close();
      }
    },
    60_000,
  );
});
