import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import Database from 'better-sqlite3';
import { Cache, CacheTimeoutError } from '../../engine/index.js';
import { tempDir } from './helpers.js';

const CHILD = new URL('./fixtures/open-and-incr.ts', import.meta.url);
const TOGETHER = new URL('./fixtures/open-together.ts', import.meta.url);

type Outcome = { ok: boolean; phase?: string; error?: string };

/**
 * Forks `n` children that open `dir` with `timeout` at one shared instant:
 * the instant is sent only once every child has loaded, so the opens collide
 * however slowly a busy machine starts them.
 */
async function openTogether(dir: string, n: number, timeout: number): Promise<Outcome[]> {
  const children = Array.from({ length: n }, () =>
    forkModule(TOGETHER, [dir, String(timeout)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  const message = (child: (typeof children)[number]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      child.once('message', resolve);
      child.once('error', reject);
      child.once('exit', (code) => resolve({ ok: false, phase: 'exit', error: `exited ${code} before reporting` }));
    });
  await Promise.all(children.map(message));
  const outcomes = children.map((child) => message(child) as Promise<Outcome>);
  const startAt = Date.now() + 200;
  for (const child of children) child.send({ startAt });
  return Promise.all(outcomes);
}

function run(args: string[]): Promise<{ ok: boolean; error?: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = forkModule(CHILD, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let message: { ok: boolean; error?: string } = { ok: false, error: 'no message' };
    child.on('message', (m) => (message = m as typeof message));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ...message, code }));
  });
}

describe('many processes', () => {
  it('4 processes × 1,000 incr of one key → exactly 4,000', async () => {
    const dir = join(tempDir(), 'cache');
    const results = await Promise.all(Array.from({ length: 4 }, () => run([dir, 'incr', '1000', '0'])));
    expect(results.map((r) => r.error ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok']);
    const cache = new Cache(dir);
    expect(cache.get('counter')).toBe(4000);
    cache.close();
  });

  it('8 processes opening a fresh directory at the same instant all succeed', async () => {
    const dir = join(tempDir(), 'fresh', 'cache');
    // Far enough ahead for all 8 tsx children to load before the shared instant.
    const startAt = Date.now() + 3000;
    const results = await Promise.all(Array.from({ length: 8 }, () => run([dir, 'open', '0', String(startAt)])));
    expect(results.map((r) => r.error ?? 'ok')).toEqual(Array(8).fill('ok'));
    expect(results.every((r) => r.code === 0)).toBe(true);
    const cache = new Cache(dir);
    expect(cache.length).toBe(8);
    expect(cache.settings.sqliteJournalMode).toBe('wal');
    expect(cache.check()).toEqual([]);
    cache.close();
  });

  // A 1 ms operation timeout must not shorten opening (issue: 15/24 failed in new Cache).
  for (const state of ['fresh', 'existing'] as const) {
    it(`16 processes opening one ${state} directory with timeout 0.001 all open it`, async () => {
      const dir = join(tempDir(), 'cache');
      if (state === 'existing') new Cache(dir).close();
      const outcomes = await openTogether(dir, 16, 0.001);
      expect(outcomes.map((o) => (o.ok ? 'ok' : `${o.phase}: ${o.error}`))).toEqual(Array(16).fill('ok'));
      const cache = new Cache(dir);
      expect(cache.length).toBe(16); // each child wrote its key through the cache it opened
      expect(cache.check()).toEqual([]);
      cache.close();
    }, 120_000);
  }

  it("a user's openTimeout is still respected, and a failed open names it", () => {
    const dir = tempDir();
    new Cache(dir).close();
    const other = new Database(join(dir, 'cache.db'));
    other.exec('BEGIN IMMEDIATE'); // opening needs a write lock for the schema/settings transaction
    try {
      expect(() => new Cache(dir, { timeout: 0.001, openTimeout: 0.2 })).toThrow(CacheTimeoutError);
      expect(() => new Cache(dir, { timeout: 0.001, openTimeout: 0.2 })).toThrow(
        /more than 0\.2 s \(the openTimeout option\)/,
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });
});
