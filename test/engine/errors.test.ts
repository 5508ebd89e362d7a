import Database from 'better-sqlite3';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Cache,
  CacheDirectoryError,
  CacheError,
  CacheIOError,
  CacheTimeoutError,
  CorruptCacheError,
  CounterOverflowError,
  InvalidKeyError,
  InvalidOptionError,
  InvalidValueError,
  LockTimeoutError,
  NotACacheError,
  MissingKeyError,
  CacheStateError,
  ShardLayoutError,
} from '../../engine/index.js';
import * as engine from '../../engine/index.js';
import { openCache, tempDir } from './helpers.js';

describe('typed errors', () => {
  it('every exported error class: a CacheError with its own documented code and its class name', () => {
    const cases: [CacheError, string, string][] = [
      [new CacheTimeoutError(1), 'CACHE_TIMEOUT', 'CacheTimeoutError'],
      [new InvalidKeyError('x'), 'INVALID_KEY', 'InvalidKeyError'],
      [new InvalidValueError('x'), 'INVALID_VALUE', 'InvalidValueError'],
      [new InvalidOptionError('o', 'x'), 'INVALID_OPTION', 'InvalidOptionError'],
      [new CorruptCacheError('f', 'x'), 'CORRUPT_CACHE', 'CorruptCacheError'],
      [new CacheDirectoryError('d', 'x'), 'CACHE_DIRECTORY', 'CacheDirectoryError'],
      [new MissingKeyError('incr'), 'MISSING_KEY', 'MissingKeyError'],
      [new CacheStateError('x'), 'CACHE_STATE', 'CacheStateError'],
      [new ShardLayoutError('d', 'x'), 'SHARD_LAYOUT', 'ShardLayoutError'],
      [new CacheIOError('f', 'SQLITE_IOERR_READ'), 'CACHE_IO', 'CacheIOError'],
      [new CounterOverflowError('incr', 'x'), 'COUNTER_OVERFLOW', 'CounterOverflowError'],
      [new LockTimeoutError('Lock "k"', 1), 'LOCK_TIMEOUT', 'LockTimeoutError'],
      [new NotACacheError('/d', 'x'), 'NOT_A_CACHE', 'NotACacheError'],
    ];
    // Every class the package exports is in the list.
    const exported = Object.entries(engine)
      .filter(([, v]) => typeof v === 'function' && v.prototype instanceof CacheError)
      .map(([k]) => k)
      .sort();
    expect(exported).toEqual(cases.map(([, , name]) => name).sort());
    for (const [error, code, name] of cases) {
      expect(error).toBeInstanceOf(CacheError);
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe(name);
      expect(String(error)).toMatch(new RegExp(`^${name}: `));
    }
    expect(new Set(cases.map(([e]) => e.code)).size).toBe(cases.length);
  });

  it('all extend CacheError and carry a code', () => {
    const errors = [
      new CacheTimeoutError(1),
      new InvalidKeyError('x'),
      new InvalidValueError('x'),
      new InvalidOptionError('o', 'x'),
      new CorruptCacheError('f', 'x'),
      new CacheDirectoryError('d', 'x'),
    ];
    const codes = errors.map((e) => {
      expect(e).toBeInstanceOf(CacheError);
      expect(e).toBeInstanceOf(Error);
      return e.code;
    });
    expect(new Set(codes).size).toBe(errors.length);
    expect(errors[0].name).toBe('CacheTimeoutError');
  });

  it('a cache.db that is not SQLite → CorruptCacheError, file left unchanged', () => {
    const dir = tempDir();
    const file = join(dir, 'cache.db');
    const garbage = Buffer.from('this is not a database, just some bytes\n'.repeat(200));
    writeFileSync(file, garbage);
    const before = statSync(file).mtimeMs;
    expect(() => new Cache(dir)).toThrow(CorruptCacheError);
    expect(() => new Cache(dir)).toThrow(/not a SQLite database.*left untouched/);
    expect(Buffer.compare(readFileSync(file), garbage)).toBe(0);
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('a garbage file with a SQLite-looking header is refused by SQLite, still untouched', () => {
    const dir = tempDir();
    const file = join(dir, 'cache.db');
    const garbage = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0xab)]);
    writeFileSync(file, garbage);
    expect(() => new Cache(dir)).toThrow(CorruptCacheError);
    expect(Buffer.compare(readFileSync(file), garbage)).toBe(0);
  });

  it('a directory that cannot be created → CacheDirectoryError naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain-file'), 'x');
    const target = join(dir, 'plain-file', 'cache');
    expect(() => new Cache(target)).toThrow(CacheDirectoryError);
    expect(() => new Cache(target)).toThrow(target);
    expect(() => new Cache(target)).toThrow(/cannot create it \(ENOTDIR\)/);
  });

  it('a directory path that is a regular file → one clear CacheDirectoryError, not EEXIST', () => {
    const dir = tempDir();
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'x');
    expect(() => new Cache(file)).toThrow(CacheDirectoryError);
    expect(() => new Cache(file)).toThrow(`cache directory ${file}: exists and is not a directory`);
    expect(() => new Cache(file)).not.toThrow(/EEXIST/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('a lock held longer than timeout → CacheTimeoutError', () => {
    const cache = openCache({ timeout: 0.05 });
    const other = new Database(join(cache.directory, 'cache.db'));
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(() => cache.set('a', 1)).toThrow(CacheTimeoutError);
      expect(() => cache.incr('a')).toThrow(/timeout/);
      expect(cache.get('a')).toBeUndefined(); // reads are not blocked under WAL
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(cache.set('a', 1)).toBe(true);
  });

  it('an invalid setting stored in cache.db is named on open', () => {
    const dir = tempDir();
    new Cache(dir).close();
    const db = new Database(join(dir, 'cache.db'));
    db.prepare("UPDATE Settings SET value = 'sideways' WHERE key = 'eviction_policy'").run();
    db.close();
    expect(() => new Cache(dir)).toThrow(/evictionPolicy: value stored in cache.db is invalid/);
    const fixed = openCache({ evictionPolicy: 'none' }, dir);
    expect(fixed.settings.evictionPolicy).toBe('none');
  });

  it('a negative size limit is refused before anything is created', () => {
    const dir = join(tempDir(), 'never-created');
    expect(() => new Cache(dir, { sizeLimit: -5 })).toThrow(/sizeLimit: -5 is out of range/);
    expect(() => statSync(dir)).toThrow();
  });
});
