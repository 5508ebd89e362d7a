import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Cache, type CacheOptions, type FanoutCache } from '../../engine/index.js';

const dirs: string[] = [];
const caches: (Cache | FanoutCache)[] = [];

afterEach(() => {
  for (const cache of caches.splice(0)) cache.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachebench-test-'));
  dirs.push(dir);
  return dir;
}

/** A controllable clock in seconds. */
export function fakeClock(start = 1_000_000): { now: () => number; advance: (seconds: number) => void } {
  let t = start;
  return { now: () => t, advance: (seconds) => (t += seconds) };
}

/** A cache in a fresh directory (or `dir`), closed after the test. */
export function openCache(options: CacheOptions = {}, dir = tempDir()): Cache {
  const cache = new Cache(dir, options);
  caches.push(cache);
  return cache;
}

/** Closes `cache` after the test (its directory is the caller's). */
export function keep<T extends Cache | FanoutCache>(cache: T): T {
  caches.push(cache);
  return cache;
}
