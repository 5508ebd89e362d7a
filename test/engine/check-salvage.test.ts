import Database from 'better-sqlite3';
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache } from '../../engine/index.js';
import { keep, tempDir } from './helpers.js';

const ROWS = 500;
const valueOf = (i: number): string => (i % 50 === 0 ? `spilled ${i} `.repeat(200) : `value ${i} `.repeat(20));

/** A closed cache of ROWS rows whose values name their key, with two leaf pages of its Cache table overwritten. */
function damagedCache(): string {
  const dir = tempDir();
  const cache = new Cache(dir, { diskMinFileSize: 1000 });
  cache.transact(() => {
    for (let i = 0; i < ROWS; i++) cache.set(`key-${i}`, valueOf(i));
  });
  cache.close(); // checkpoints the WAL: every page is in cache.db
  const db = new Database(join(dir, 'cache.db'), { readonly: true });
  const leaves = db
    .prepare("SELECT pageno FROM dbstat WHERE name = 'Cache' AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all() as number[];
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(join(dir, 'cache.db'), 'r+');
  // The page header and cell pointers: SQLite can no longer read the page at all.
  for (const page of [leaves[5]!, leaves[12]!]) writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (page - 1) * pageSize);
  closeSync(fd);
  return dir;
}

describe('check() on a cache.db with damaged pages', () => {
  it('reports the damage instead of throwing, and says how to salvage', () => {
    const cache = keep(new Cache(damagedCache()));
    const warnings = cache.check();
    expect(warnings.join('\n')).toMatch(/SQLite integrity: .*malformed/);
    expect(warnings.join('\n')).toMatch(/run check\(\{ fix: true \}\) to salvage the readable rows/);
  });

  it('fix salvages every readable row into a sound cache.db, keeps the damaged file, says what was lost', () => {
    const dir = damagedCache();
    const damagedBytes = readFileSync(join(dir, 'cache.db'));
    const other = keep(new Cache(dir)); // another connection, open throughout
    const cache = keep(new Cache(dir));
    const warnings = cache.check({ fix: true, orphanAge: 0 });
    const report = warnings.find((w) => w.startsWith('salvaged'));
    const [, saved, lost] =
      /^salvaged (\d+) readable rows into a rebuilt cache\.db; (\d+) rows were unreadable and are lost \(rowids \d+–\d+, rowids \d+–\d+\); the damaged file is kept as (cache\.db\.damaged-\S+)$/.exec(
        report ?? '',
      ) ?? [];
    expect(Number(saved) + Number(lost)).toBe(ROWS);
    expect(Number(lost)).toBeGreaterThan(0);
    expect(warnings).toContain('SQLite integrity repaired (salvage): ok now');
    const backup = readdirSync(dir).find((name) => name.startsWith('cache.db.damaged-') && !name.endsWith('-wal'))!;
    expect(readFileSync(join(dir, backup)).equals(damagedBytes)).toBe(true);

    expect(cache.check()).toEqual([]);
    expect(cache.length).toBe(Number(saved));
    let present = 0;
    for (let i = 0; i < ROWS; i++) {
      const value = cache.get(`key-${i}`);
      if (value === undefined) continue;
      expect(value).toBe(valueOf(i));
      present++;
    }
    expect(present).toBe(Number(saved));
    // The other connection reads and writes the rebuilt file.
    expect(other.get(`key-${ROWS - 1}`)).toBe(valueOf(ROWS - 1));
    other.set('after', 1);
    expect(cache.get('after')).toBe(1);
  });
});
