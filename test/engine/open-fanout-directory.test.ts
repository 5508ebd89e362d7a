import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, CacheDirectoryError, Deque, FanoutCache, Index } from '../../engine/index.js';
import { tempDir } from './helpers.js';

/** Every path under `dir` with its size and mtime: any file created or written shows. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => {
      const stat = statSync(join(dir, name));
      return `${relative(dir, join(dir, name))} ${stat.size} ${stat.mtimeMs}`;
    })
    .sort();
}

describe('new Cache on a FanoutCache directory', () => {
  it('is refused with a CacheDirectoryError naming new FanoutCache(dir), creating nothing', () => {
    const dir = tempDir();
    const fanout = new FanoutCache(dir, { shards: 2 });
    fanout.set('a', 1);
    fanout.close();
    const before = snapshot(dir);
    for (const open of [() => new Cache(dir), () => new Deque(dir), () => new Index(dir)]) {
      let error: unknown;
      try {
        open().close();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CacheDirectoryError);
      expect((error as CacheDirectoryError).directory).toBe(dir);
      expect((error as Error).message).toMatch(
        /holds a FanoutCache \(fanout\.json\); open it with new FanoutCache\(dir\)/,
      );
    }
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(dir)).not.toContain('cache.db');
    const reopened = new FanoutCache(dir);
    expect(reopened.get('a')).toBe(1);
    reopened.close();
  });
});
