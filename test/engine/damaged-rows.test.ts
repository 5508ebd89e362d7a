import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptCacheError } from '../../engine/index.js';
import { openCache } from './helpers.js';

/** Changes cache.db behind the open cache's back, as another program or a bad disk would. */
function tamper(directory: string, sql: string, ...params: unknown[]): void {
  const db = new Database(join(directory, 'cache.db'));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

function corruption(fn: () => unknown): CorruptCacheError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CorruptCacheError);
    return error as CorruptCacheError;
  }
  throw new Error('expected CorruptCacheError');
}

describe('rows whose value no longer parses', () => {
  it('invalid JSON or bigint text in a row is CorruptCacheError naming cache.db, not a raw SyntaxError', () => {
    const cache = openCache();
    cache.set('json', { a: 1 });
    cache.set('big', 10n ** 30n);
    tamper(cache.directory, "UPDATE Cache SET value = '{\"a\": 1' WHERE key = 'json'");
    tamper(cache.directory, "UPDATE Cache SET value = '12x' WHERE key = 'big'");
    const error = corruption(() => cache.get('json'));
    expect(error.file).toBe(join(cache.directory, 'cache.db'));
    expect(error.message).toMatch(/no longer parses.*delete or set the key/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
    corruption(() => cache.get('big'));
    cache.set('json', [1]); // the remedy the message gives
    expect(cache.get('json')).toEqual([1]);
  });

  it('invalid JSON in a spill file is CorruptCacheError naming the file', () => {
    const cache = openCache({ diskMinFileSize: 100 });
    const text = JSON.stringify({ pad: 'x'.repeat(200) });
    cache.set('spilled', JSON.parse(text));
    const path = cache.filePath('spilled')!;
    writeFileSync(path, text.replace('}', ']')); // same size, not JSON
    expect(corruption(() => cache.get('spilled')).file).toBe(path);
  });
});
