import Database from 'better-sqlite3';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Cache, CacheError, Disk, FanoutCache } from '../../engine/index.js';
import { tempDir } from '../engine/helpers.js';
import { fixture, openFds } from './helpers.js';
import { transpileForThreads } from './transpile.js';

/** Runs `rounds` of fn, checking every `every` rounds that the open descriptors have not grown. */
function noGrowth(rounds: number, every: number, fn: (i: number) => void): { before: number; after: number } {
  const before = openFds();
  for (let i = 0; i < rounds; i++) {
    fn(i);
    if ((i + 1) % every === 0) expect(openFds(), `after ${i + 1} rounds`).toBe(before);
  }
  return { before, after: openFds() };
}

describe('file descriptors', () => {
  it('10,000 caches opened and closed in one process leak no descriptor', () => {
    const [alone, shared] = [tempDir(), tempDir()];
    new Cache(alone).close(); // first open: schema creation, not what is measured
    // Most opens beside a connection that holds the directory (a long-lived
    // process beside short-lived ones); 500 as the only connection, where
    // close also checkpoints and removes cache.db-wal and -shm (~5x slower).
    const holder = new Cache(shared);
    const { before, after } = noGrowth(10_000, 1000, (i) => {
      const cache = new Cache(i < 500 ? alone : shared);
      if (i % 100 === 0) cache.set(`k${i % 50}`, i);
      cache.close();
    });
    holder.close();
    expect(after).toBe(before);
    expect(readdirSync(alone).sort()).toEqual(['cache.db']); // the last close cleaned up WAL files
    console.log(`resources: 10,000 opens and closes, open descriptors ${before} before and ${after} after`);
  });

  it('failed opens (not a database, an invalid stored setting) and FanoutCache opens leak no descriptor', () => {
    const garbage = tempDir();
    writeFileSync(join(garbage, 'cache.db'), 'not a database at all, just text');
    const badSetting = tempDir();
    new Cache(badSetting).close();
    const db = new Database(join(badSetting, 'cache.db'));
    db.prepare("UPDATE Settings SET value = 'lots' WHERE key = 'size_limit'").run();
    db.close();
    const fanout = tempDir();
    const { before, after } = noGrowth(600, 200, (i) => {
      if (i % 3 === 2) {
        new FanoutCache(fanout, { shards: 4 }).close();
        return;
      }
      expect(() => new Cache(i % 3 === 0 ? garbage : badSetting)).toThrow(CacheError);
    });
    expect(after).toBe(before);
  });

  it('a FanoutCache (or migration) whose shard fails to open, and a Cache whose Disk subclass throws, close what they opened', () => {
    const dir = tempDir();
    new FanoutCache(dir, { shards: 8 }).close();
    writeFileSync(join(dir, '005', 'cache.db'), 'garbage garbage garbage garbage');
    class BrokenDisk extends Disk {
      constructor(directory: string, options: ConstructorParameters<typeof Disk>[1]) {
        super(directory, options);
        throw new Error('disk refused');
      }
    }
    const plain = tempDir();
    const { before, after } = noGrowth(60, 20, (i) => {
      if (i % 3 === 0) expect(() => new FanoutCache(dir)).toThrow(CacheError);
      else if (i % 3 === 1) expect(() => new FanoutCache(dir, { shards: 4, migrate: true })).toThrow(CacheError);
      else expect(() => new Cache(plain, { disk: BrokenDisk })).toThrow('disk refused');
    });
    expect(after).toBe(before);
  });

  it('read streams close their spill file once read to the end or destroyed', async () => {
    const cache = new Cache(tempDir(), { diskMinFileSize: 100 });
    try {
      cache.set('big', Buffer.alloc(5000, 1));
      const before = openFds();
      for (let i = 0; i < 50; i++) {
        const stream = cache.read('big')!;
        if (i % 2 === 0) {
          for await (const chunk of stream) expect((chunk as Buffer).length).toBeGreaterThan(0);
        } else {
          stream.destroy();
          await new Promise((resolve) => stream.once('close', resolve));
        }
      }
      expect(openFds()).toBe(before);
    } finally {
      cache.close();
    }
  });

  it('64 worker threads sharing one cache (16 never call close) leave no descriptor behind', async () => {
    const directory = tempDir();
    new Cache(directory).close();
    const before = openFds();
    const ops = 100;
    const worker = fileURLToPath(transpileForThreads(fixture('thread-worker.ts')));
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, id) => {
        const thread = new Worker(worker, { workerData: { directory, id, ops, forget: id % 4 === 0 } });
        return new Promise<{ mismatches: number; bytes: number; code: number }>((resolve, reject) => {
          let message = { mismatches: -1, bytes: 0 };
          thread.on('message', (m) => (message = m as typeof message));
          thread.on('error', reject);
          thread.on('exit', (code) => resolve({ ...message, code }));
        });
      }),
    );
    expect(results.map((r) => r.code)).toEqual(Array(64).fill(0));
    expect(results.map((r) => r.mismatches)).toEqual(Array(64).fill(0));
    expect(results.every((r) => r.bytes === 2000)).toBe(true);
    const after = openFds();
    expect(after).toBe(before);
    const cache = new Cache(directory);
    try {
      expect(cache.get('threads')).toBe(64 * ops);
      expect(cache.check()).toEqual([]);
    } finally {
      cache.close();
    }
    console.log(
      `resources: 64 worker threads × ${ops} set/get/incr + a read stream on one cache; open descriptors ${before} before and ${after} after`,
    );
  });
});

describe('disk space', () => {
  it('replacing and deleting spilled values leaves no spill file and no empty folder behind', () => {
    const cache = new Cache(tempDir(), { diskMinFileSize: 100 });
    try {
      for (let i = 0; i < 300; i++) cache.set(`k${i % 10}`, Buffer.alloc(500, i % 256));
      for (let i = 0; i < 10; i += 2) cache.delete(`k${i}`);
      const entries = readdirSync(cache.directory, { recursive: true }) as string[];
      const files = entries.filter((e) => e.endsWith('.val'));
      expect(files.length).toBe(5);
      // Each remaining file has its own two folders at most; nothing else.
      expect(entries.length - files.length).toBeLessThanOrEqual(5 * 2 + 3);
      expect(cache.check({ orphanAge: 0 })).toEqual([]);
    } finally {
      cache.close();
    }
  });
});
