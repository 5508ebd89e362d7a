import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache } from '../../engine/index.js';
import { keep, tempDir } from './helpers.js';

describe('a cache.db of schema version 1 (no pinned column)', () => {
  it('opens, keeps its rows unpinned, and takes pinned rows', () => {
    const dir = tempDir();
    const cache = new Cache(dir);
    cache.set('old', 'row');
    cache.close();
    const db = new Database(join(dir, 'cache.db'));
    db.exec('ALTER TABLE Cache DROP COLUMN pinned');
    db.pragma('user_version = 1');
    db.close();

    const reopened = keep(new Cache(dir, { sizeLimit: 100_000, cullLimit: 5 }));
    expect(reopened.get('old')).toBe('row');
    reopened.set('lock', 1, { pin: true });
    for (let i = 0; i < 20; i++) reopened.set(`v${i}`, Buffer.alloc(40_000, i));
    expect(reopened.get('lock')).toBe(1);
    expect(reopened.has('old')).toBe(false);
    const check = new Database(join(dir, 'cache.db'), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(2);
    check.close();
  });
});
