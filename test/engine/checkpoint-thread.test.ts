import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forkModule, moduleCommand } from '../../harness/fork-module.js';
import { FanoutCache } from '../../engine/index.js';
import { keep, openCache, tempDir } from './helpers.js';

/**
 * walCheckpoint 'thread': the WAL is checkpointed on the process's checkpoint
 * thread (engine/checkpoint-thread.ts), beside the calls, even when the caller
 * never yields; closing a cache leaves no WAL behind; the thread never keeps
 * a process alive.
 */

/** Sets in a loop that never yields to the event loop until the thread has reported `checkpoints` (or 20 s). */
function setUntilCheckpointed(
  cache: { set(key: string, value: number): unknown; stats(): { writes: { checkpoints: number } } },
  checkpoints = 1,
): number {
  const deadline = Date.now() + 20_000;
  let sets = 0;
  while (cache.stats().writes.checkpoints < checkpoints && Date.now() < deadline) cache.set(`k${sets++ % 10}`, sets);
  return sets;
}

describe("walCheckpoint 'thread'", () => {
  it('checkpoints on another thread while the caller never yields, counted and timed in stats().writes', async () => {
    const cache = openCache({ walCheckpoint: 'thread', sqliteWalAutocheckpoint: 40 });
    setUntilCheckpointed(cache, 5);
    await new Promise((resolve) => setTimeout(resolve, 200)); // a checkpoint still running on the thread finishes
    const { writes } = cache.stats({ reset: true });
    expect(writes.checkpoints).toBeGreaterThanOrEqual(5);
    expect(writes.checkpointNs).toBeGreaterThan(0);
    // reset starts the thread's figures from zero too (the reset's own commit may ask for one more).
    expect(cache.stats().writes.checkpoints).toBeLessThanOrEqual(1);
  });

  it("closing removes the WAL: the thread's own connection closes first", () => {
    const dir = tempDir();
    const cache = openCache({ walCheckpoint: 'thread', sqliteWalAutocheckpoint: 40 }, dir);
    setUntilCheckpointed(cache);
    expect(existsSync(join(dir, 'cache.db-wal'))).toBe(true);
    cache.close();
    expect(existsSync(join(dir, 'cache.db-wal'))).toBe(false);
    // The cache opens again and its thread serves it anew.
    const again = openCache({ walCheckpoint: 'thread', sqliteWalAutocheckpoint: 40 }, dir);
    setUntilCheckpointed(again);
    expect(again.stats().writes.checkpoints).toBeGreaterThan(0);
  });

  it("FanoutCache's shards each have the thread checkpoint them; stats().writes sums them; close removes every WAL", () => {
    const dir = tempDir();
    const cache = keep(new FanoutCache(dir, { shards: 2, walCheckpoint: 'thread', sqliteWalAutocheckpoint: 40 }));
    setUntilCheckpointed(cache);
    expect(cache.stats().writes.checkpoints).toBeGreaterThan(0);
    cache.close();
    for (const shard of ['000', '001']) expect(existsSync(join(dir, shard, 'cache.db-wal'))).toBe(false);
  });

  it('a process that never closes its cache still exits: the thread is not what keeps it alive', async () => {
    const dir = tempDir();
    const [command, ...args] = moduleCommand(new URL('./fixtures/thread-checkpoint-child.ts', import.meta.url));
    const started = Date.now();
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const process_ = spawn(command!, [...args, dir, '50'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let output = '';
      process_.stdout.on('data', (chunk) => (output += chunk));
      const killer = setTimeout(() => process_.kill('SIGKILL'), 60_000);
      process_.on('error', reject);
      process_.on('exit', (exitCode) => {
        clearTimeout(killer);
        resolve({ code: exitCode, output });
      });
    });
    expect(code).toBe(0);
    expect(JSON.parse(output).checkpoints).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it('keeps the WAL bounded while another process reads without pause: a RESTART checkpoint starts it again', async () => {
    const dir = tempDir();
    const cache = openCache({ walCheckpoint: 'thread', sqliteWalAutocheckpoint: 40 }, dir);
    cache.set('k0', 0);
    const reader = forkModule(new URL('./fixtures/reader-loop.ts', import.meta.url), [dir, '4'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const messages: unknown[] = [];
    const finished = new Promise<void>((resolve, reject) => {
      reader.on('message', (message) => messages.push(message));
      reader.on('error', reject);
      reader.on('exit', () => resolve());
    });
    while (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // Sets for 3 s while the reader reads; yield now and then so the reader's messages arrive.
    const value = 'x'.repeat(3000);
    const until = Date.now() + 3000;
    let sets = 0;
    while (Date.now() < until) {
      for (let i = 0; i < 200; i++) cache.set(`k${sets++ % 10}`, value);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await finished;
    expect(messages.at(-1)).toMatchObject({ reads: expect.any(Number) });
    // The WAL header's checkpoint sequence number (bytes 12–15) counts the times the WAL was started again.
    const header = Buffer.alloc(32);
    const fd = openSync(join(dir, 'cache.db-wal'), 'r');
    readSync(fd, header, 0, 32, 0);
    closeSync(fd);
    expect(header.readUInt32BE(12)).toBeGreaterThanOrEqual(3);
    // Each commit appends at least one page (4 KiB): never started again, the WAL would hold them all.
    expect(sets).toBeGreaterThan(2000);
    expect(statSync(join(dir, 'cache.db-wal')).size).toBeLessThan((sets * 4096) / 3);
  }, 60_000);
});
