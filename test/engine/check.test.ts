import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptCacheError, Deque } from '../../engine/index.js';
import { openCache } from './helpers.js';

function onlySpill(dir: string): string {
  const a = readdirSync(dir).find((n) => /^[0-9a-f]{2}$/.test(n))!;
  const b = readdirSync(join(dir, a))[0];
  return join(a, b, readdirSync(join(dir, a, b))[0]);
}

const ORPHAN = '0123456789abcdef0123456789ab'; // 28 hex digits, as newFilename() names spill files

describe('check', () => {
  it('never removes what is not a spill file: nested caches, user folders, odd names in spill folders', () => {
    const cache = openCache();
    const inner = new Deque(join(cache.directory, 'queue'));
    inner.append('job');
    mkdirSync(join(cache.directory, 'assets'));
    writeFileSync(join(cache.directory, 'assets', 'logo.png'), 'png');
    mkdirSync(join(cache.directory, 'ab', 'cd'), { recursive: true });
    writeFileSync(join(cache.directory, 'ab', 'cd', 'notes.txt'), 'mine');
    const old = Date.now() / 1000 - 60;
    for (const p of ['assets/logo.png', 'assets', 'ab/cd/notes.txt', 'ab/cd', 'ab'])
      utimesSync(join(cache.directory, p), old, old);
    const warnings = cache.check({ fix: true, orphanAge: 0 });
    expect(warnings).toEqual(['ab/cd/notes.txt is not a cachebench spill file (left alone)']);
    expect(existsSync(join(cache.directory, 'assets', 'logo.png'))).toBe(true);
    expect(existsSync(join(cache.directory, 'ab', 'cd', 'notes.txt'))).toBe(true);
    expect(existsSync(join(cache.directory, 'queue', 'cache.db'))).toBe(true);
    expect(inner.popleft()).toBe('job');
    inner.close();
  });

  it('reports nothing on a healthy cache', () => {
    const cache = openCache({ diskMinFileSize: 10 });
    cache.set('a', 'x'.repeat(100));
    cache.set('b', 1);
    expect(cache.check()).toEqual([]);
  });

  it('finds and fixes a missing spill file', () => {
    const cache = openCache({ diskMinFileSize: 10 });
    cache.set('a', 'x'.repeat(100));
    rmSync(join(cache.directory, onlySpill(cache.directory)));
    const warnings = cache.check();
    expect(warnings.join('\n')).toMatch(/is missing/);
    expect(cache.length).toBe(1); // no fix: nothing changed
    const fixed = cache.check({ fix: true });
    expect(fixed.join('\n')).toMatch(/row removed/);
    expect(cache.length).toBe(0);
    expect(cache.check({ orphanAge: 0 }).filter((w) => !/folder/.test(w))).toEqual([]);
  });

  it('finds and fixes a spill file of the wrong size', () => {
    const cache = openCache({ diskMinFileSize: 10 });
    cache.set('a', 'x'.repeat(100));
    writeFileSync(join(cache.directory, onlySpill(cache.directory)), 'short');
    expect(cache.check({ fix: true }).join('\n')).toMatch(/has 5 bytes, row says 100/);
    expect(cache.has('a')).toBe(false);
  });

  it('a damaged spill file is a CorruptCacheError whose one remedy (check fix, delete or set) works', () => {
    const cache = openCache({ diskMinFileSize: 10 });
    for (const key of ['a', 'b', 'c']) {
      cache.set(key, key.repeat(100));
      writeFileSync(cache.filePath(key)!, 'short');
    }
    const file = cache.filePath('a')!;
    let message = '';
    try {
      cache.get('a');
    } catch (error) {
      expect(error).toBeInstanceOf(CorruptCacheError);
      message = (error as Error).message;
    }
    expect(message).toBe(
      `${file} has 5 bytes, its row says 100: the spill file is damaged and its entry cannot be read; ` +
        'run check({ fix: true }) to drop the entry and its file, or delete or set the key',
    );
    expect(message).not.toMatch(/untouched|move it away|another directory/); // the whole-file advice does not apply
    expect(cache.delete('a')).toBe(true);
    expect(existsSync(file)).toBe(false);
    cache.set('b', 'fresh');
    expect(cache.get('b')).toBe('fresh');
    expect(cache.check({ fix: true }).join('\n')).toMatch(/has 5 bytes, row says 100 \(row and file removed\)/);
    expect(cache.get('c')).toBeUndefined();
    expect(cache.check({ orphanAge: 0 })).toEqual([]);
  });

  it('finds orphan files and empty folders older than orphanAge, and removes them', () => {
    const cache = openCache();
    mkdirSync(join(cache.directory, 'ab', 'cd'), { recursive: true });
    writeFileSync(join(cache.directory, 'ab', 'cd', `${ORPHAN}.val`), 'x');
    mkdirSync(join(cache.directory, 'ee', 'ff'), { recursive: true });
    expect(cache.check()).toEqual([]); // too fresh: a concurrent set may be about to commit it
    const old = Date.now() / 1000 - 60;
    for (const p of [`ab/cd/${ORPHAN}.val`, 'ab/cd', 'ab', 'ee/ff', 'ee'])
      utimesSync(join(cache.directory, p), old, old);
    const warnings = cache.check({ fix: true });
    expect(warnings.some((w) => w.includes(`ab/cd/${ORPHAN}.val belongs to no row`))).toBe(true);
    expect(warnings.some((w) => /folder ee\/ff is empty/.test(w))).toBe(true);
    expect(readdirSync(cache.directory).sort()).toEqual(
      readdirSync(cache.directory)
        .filter((n) => n.startsWith('cache.db'))
        .sort(),
    );
  });

  it('repairs a damaged index with fix (REINDEX, VACUUM) and reports that integrity is ok again', () => {
    const cache = openCache();
    for (let i = 0; i < 50; i++) cache.set(`k${i}`, i, { tag: `t${i % 3}` });
    cache.close();
    // An index whose entries no longer match its definition: what a torn write to an index page looks like to SQLite.
    const db = new Database(join(cache.directory, 'cache.db'));
    db.exec('CREATE INDEX probe ON Cache (tag)');
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare("UPDATE sqlite_master SET sql = 'CREATE INDEX probe ON Cache (key)' WHERE name = 'probe'").run();
    db.close();
    const reopened = openCache({}, cache.directory);
    expect(reopened.check().join('\n')).toMatch(/SQLite integrity: .*index probe/);
    const fixed = reopened.check({ fix: true });
    expect(fixed.at(-1)).toBe('SQLite integrity repaired (REINDEX, VACUUM): ok now');
    expect(reopened.check()).toEqual([]);
    expect(reopened.get('k49')).toBe(49);
  });

  it('finds and fixes wrong count and size totals', () => {
    const cache = openCache({ diskMinFileSize: 10 });
    cache.set('a', 'x'.repeat(100));
    cache.set('b', 2);
    const db = new Database(join(cache.directory, 'cache.db'));
    db.exec("UPDATE Settings SET value = 99 WHERE key = 'count'; UPDATE Settings SET value = 5 WHERE key = 'size'");
    db.close();
    expect(cache.length).toBe(99);
    const warnings = cache.check({ fix: true });
    expect(warnings).toContain('total count is 99, rows add up to 2 (fixed)');
    expect(warnings).toContain('total size is 5, rows add up to 100 (fixed)');
    expect(cache.length).toBe(2);
    expect(cache.check()).toEqual([]);
  });
});
