import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import { Cache } from '../../engine/index.js';
import { tempDir } from './helpers.js';

const CHILD = new URL('./fixtures/open-and-incr.ts', import.meta.url);

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
});
