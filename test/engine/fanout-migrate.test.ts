import { describe, expect, it } from 'vitest';
import { Cache, CorruptCacheError, FanoutCache, InvalidKeyError, ShardLayoutError } from '../../engine/index.js';
import { HeldShard } from '../../engine/fanout-held-shard.js';
import { forkModule } from '../../harness/fork-module.js';
import { keep, tempDir } from './helpers.js';

const CHILD = new URL('./fixtures/fanout-child.ts', import.meta.url);

/** A 2-shard FanoutCache holding seed-0 … seed-(n-1) = their number. */
function seeded(n: number): string {
  const dir = tempDir();
  const cache = new FanoutCache(dir, { shards: 2 });
  cache.setMany(Array.from({ length: n }, (_, i) => [`seed-${i}`, i] as [string, number]));
  cache.close();
  return dir;
}

interface ChildRun {
  ready: Promise<void>;
  result: Promise<Record<string, unknown>>;
}

/** Forks the fanout child in `mode` on `dir`: `ready` once it is busy with the cache, `result` when it stops. */
function runChild(mode: string, dir: string): ChildRun {
  const child = forkModule(CHILD, [mode, dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const result = new Promise<Record<string, unknown>>((resolve, reject) => {
    let last: { ok?: boolean; ready?: boolean; result?: Record<string, unknown>; error?: string } | undefined;
    child.on('message', (m: typeof last) => {
      if (m?.ready === true) markReady();
      else last = m;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      last?.ok === true ? resolve(last.result!) : reject(new Error(last?.error ?? `child exited with ${code}`)),
    );
  });
  result.catch(() => markReady()); // a child that fails early must not leave the test waiting for ready
  return { ready, result };
}

describe('a handle still on the old layout after a migration', () => {
  it('gets ShardLayoutError naming the new generation on every kind of operation; input errors stay input errors', () => {
    const dir = seeded(50);
    const stale = keep(new FanoutCache(dir));
    const migrated = keep(new FanoutCache(dir, { shards: 4, migrate: true }));
    const operations: [string, () => unknown][] = [
      ['set', () => stale.set('new', 1)],
      ['get', () => stale.get('seed-1')],
      ['has', () => stale.has('seed-1')],
      ['delete', () => stale.delete('seed-1')],
      ['incr', () => stale.incr('n')],
      ['getMany', () => stale.getMany(['seed-1', 'seed-2'])],
      ['setMany', () => stale.setMany([['a', 1]])],
      ['length', () => stale.length],
      ['keys', () => [...stale.keys()]],
      ['clear', () => stale.clear()],
      ['transact', () => stale.transact(() => stale.set('t', 1))],
    ];
    for (const [name, operation] of operations) {
      expect(operation, name).toThrow(ShardLayoutError);
      expect(operation, name).toThrow(/the shard layout changed \(generation 1, 4 shards.*reopen the cache/);
    }
    expect(() => stale.set({} as never, 1)).toThrow(InvalidKeyError);
    // Nothing the stale handle tried reached the new shards, and nothing was lost.
    expect(migrated.length).toBe(50);
    expect(migrated.has('new')).toBe(false);
    expect(keep(new FanoutCache(dir)).get('seed-49')).toBe(49);
  });
});

describe('HeldShard (an old shard during a migration)', () => {
  it('retired and committed: its tables are gone for open handles and a new open is refused', () => {
    const dir = tempDir();
    const handle = keep(new Cache(dir));
    handle.set('k', 1);
    const held = new HeldShard(dir, 5);
    held.retire();
    held.commit();
    held.close();
    expect(() => handle.get('k')).toThrow(/no such table/);
    expect(() => new Cache(dir)).toThrow(CorruptCacheError);
  });

  it('retired but never committed (the migrating process died before the switch): the shard is untouched', () => {
    const dir = tempDir();
    const handle = keep(new Cache(dir));
    handle.set('k', 1);
    const held = new HeldShard(dir, 5);
    expect([...held.rows()].length).toBe(1);
    held.retire();
    held.close();
    expect(handle.get('k')).toBe(1);
    expect(keep(new Cache(dir)).get('k')).toBe(1);
  });
});

describe('migrating while other processes use the cache', () => {
  it('a writing process loses nothing it was told was stored, and then gets ShardLayoutError', async () => {
    const dir = seeded(4000); // enough that the copy takes a while: the writer keeps writing during it
    const writer = runChild('writer', dir);
    await writer.ready;
    const migrated = keep(new FanoutCache(dir, { shards: 4, migrate: true }));
    const { acked, refused, error } = (await writer.result) as {
      acked: string[];
      refused: number;
      error?: { name: string; message: string };
    };
    expect(error?.name, JSON.stringify(error)).toBe('ShardLayoutError');
    expect(error?.message).toMatch(/generation 1, 4 shards.*reopen the cache/);
    expect(acked.length).toBeGreaterThan(200);
    const lost = acked.filter((key) => migrated.get(key) !== Number(key.slice(1)));
    expect(lost, `${lost.length} of ${acked.length} acknowledged writes lost (${refused} refused)`).toEqual([]);
    expect(migrated.getMany(Array.from({ length: 4000 }, (_, i) => `seed-${i}`)).every((v, i) => v === i)).toBe(true);
  }, 120_000);

  it('a reading process reads the right value until the switch, then gets ShardLayoutError', async () => {
    const dir = seeded(4000);
    const reader = runChild('reader', dir);
    await reader.ready;
    keep(new FanoutCache(dir, { shards: 4, migrate: true }));
    const { reads, wrong, error } = (await reader.result) as { reads: number; wrong: number; error?: { name: string } };
    expect(error?.name, JSON.stringify(error)).toBe('ShardLayoutError');
    expect(reads).toBeGreaterThan(200);
    expect(wrong).toBe(0);
  }, 120_000);

  it('a process opening the cache again and again meanwhile always reads the right value and ends on the new layout', async () => {
    const dir = seeded(4000);
    const opener = runChild('opener', dir);
    await opener.ready;
    keep(new FanoutCache(dir, { shards: 4, migrate: true }));
    const { wrong, errors, finalShards } = (await opener.result) as {
      wrong: number;
      errors: { name: string; message: string }[];
      finalShards: number;
    };
    expect(wrong).toBe(0);
    expect(
      errors.filter((e) => e.name !== 'ShardLayoutError'),
      JSON.stringify(errors),
    ).toEqual([]);
    expect(finalShards).toBe(4);
  }, 120_000);
});
