import Database from 'better-sqlite3';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  Cache,
  CacheDirectoryError,
  CorruptCacheError,
  FanoutCache,
  InvalidKeyError,
  InvalidOptionError,
  InvalidValueError,
} from '../../engine/index.js';
import { MAX_KEY_BYTES } from '../../engine/disk.js';
import { APPLICATION_ID } from '../../engine/schema.js';
import { openCache, tempDir } from './helpers.js';

const openFds = () => readdirSync('/proc/self/fd').length;

/** Everything under the cache directory except cache.db and its -wal/-shm. */
const spillEntries = (dir: string) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((n) => !n.startsWith('cache.db'));

describe('bad input is a typed error naming the problem', () => {
  it('transact() of a non-function is an InvalidOptionError, on Cache and FanoutCache, and takes no lock', () => {
    const cache = openCache();
    expect(() => cache.transact(5 as never)).toThrow(InvalidOptionError);
    expect(() => cache.transact(null as never)).toThrow(/transact\(\) needs a synchronous function.*null/);
    cache.set('k', 1); // no transaction left open
    const fanout = new FanoutCache(tempDir(), { shards: 2 });
    try {
      expect(() => fanout.transact('x' as never)).toThrow(InvalidOptionError);
      expect(fanout.set('k', 1)).toBe(true);
    } finally {
      fanout.close();
    }
  });

  it('a cache.db that is a directory → CorruptCacheError naming it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'cache.db'));
    expect(() => new Cache(dir)).toThrow(CorruptCacheError);
    expect(() => new Cache(dir)).toThrow(/cache\.db is not a regular file/);
  });

  it('a fanout.json that is a directory → CorruptCacheError naming it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'fanout.json'));
    expect(() => new FanoutCache(dir, { shards: 2 })).toThrow(CorruptCacheError);
    expect(() => new FanoutCache(dir)).toThrow(/fanout\.json is not a regular file/);
  });

  it('a python-diskcache cache.db → CorruptCacheError saying so; the file is left untouched', () => {
    const dir = tempDir();
    const file = join(dir, 'cache.db');
    const db = new Database(file);
    // python-diskcache's tables (core.py): rows keyed by (key, raw), no `kind` column.
    db.exec(`CREATE TABLE Settings (key TEXT NOT NULL UNIQUE, value);
      CREATE TABLE Cache (rowid INTEGER PRIMARY KEY, key BLOB, raw INTEGER, store_time REAL, expire_time REAL,
        access_time REAL, access_count INTEGER DEFAULT 0, tag BLOB, size INTEGER DEFAULT 0, mode INTEGER DEFAULT 0,
        filename TEXT, value BLOB);
      CREATE UNIQUE INDEX Cache_key_raw ON Cache(key, raw);
      INSERT INTO Settings VALUES ('count', 0), ('size', 0);`);
    db.close();
    const before = readFileSync(file);
    expect(() => new Cache(dir)).toThrow(CorruptCacheError);
    expect(() => new Cache(dir)).toThrow(/not a cachebench cache \(it looks like a python-diskcache cache\)/);
    expect(Buffer.compare(readFileSync(file), before)).toBe(0);
  });

  it('any other SQLite file is refused too: foreign tables, or another application_id', () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'cache.db'));
    db.exec('CREATE TABLE notes (body TEXT)');
    db.close();
    expect(() => new Cache(dir)).toThrow(/not a cachebench cache \(tables: notes\)/);
    const other = tempDir();
    const db2 = new Database(join(other, 'cache.db'));
    db2.pragma('application_id = 1234');
    db2.exec('CREATE TABLE t (x)');
    db2.close();
    expect(() => new Cache(other)).toThrow(/another application \(application_id 0x4d2\)/);
  });

  it('a new cache is marked (application_id); a cache made before the marker is adopted and marked', () => {
    const dir = tempDir();
    const cache = new Cache(dir);
    cache.set('kept', 'value');
    cache.close();
    const db = new Database(join(dir, 'cache.db'));
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    db.pragma('application_id = 0'); // as created by an earlier version of the engine
    db.close();
    const reopened = new Cache(dir);
    expect(reopened.get('kept')).toBe('value');
    reopened.close();
    const check = new Database(join(dir, 'cache.db'));
    expect(check.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    check.close();
  });

  it("a key over SQLite's size limit is an InvalidKeyError on set and get (no bytes are touched)", () => {
    const cache = openCache();
    // allocUnsafe: the pages are never written, so this costs address space, not memory.
    const key = Buffer.allocUnsafe(MAX_KEY_BYTES + 1);
    expect(() => cache.set(key, 1)).toThrow(InvalidKeyError);
    expect(() => cache.get(key)).toThrow(/over SQLite's limit.*digest/);
    expect(() => cache.has(key)).toThrow(InvalidKeyError);
    expect(cache.length).toBe(0);
  });

  it('setStream of a non-stream is an InvalidValueError before any file, folder or fd is created', async () => {
    const cache = openCache();
    const before = openFds();
    for (let i = 0; i < 20; i++) {
      await expect(cache.setStream('s', 5 as never)).rejects.toThrow(InvalidValueError);
    }
    await expect(cache.setStream('s', { not: 'a stream' } as never)).rejects.toThrow(/setStream needs a Readable/);
    expect(openFds()).toBe(before);
    expect(spillEntries(cache.directory)).toEqual([]);
    // A real stream still works.
    await cache.setStream('s', Readable.from([Buffer.from('ok')]));
    expect(cache.get('s')).toEqual(Buffer.from('ok'));
  });

  it('a stream that fails midway leaves no fd, spill file or folder behind', async () => {
    const cache = openCache();
    const before = openFds();
    const failing = async function* () {
      yield Buffer.from('part');
      throw new Error('source broke');
    };
    await expect(cache.setStream('s', failing())).rejects.toThrow('source broke');
    await new Promise((r) => setTimeout(r, 50));
    expect(openFds()).toBe(before);
    expect(spillEntries(cache.directory)).toEqual([]);
  });

  it('get() of a spill file over 2 GiB is a typed error pointing at read(); read() streams it', () => {
    const cache = openCache();
    cache.set('big', Buffer.from('small for now'), { read: true });
    const path = cache.filePath('big')!;
    const size = 2 ** 31 + 10;
    const fd = openSync(path, 'r+');
    ftruncateSync(fd, size); // sparse: no 2 GiB written
    closeSync(fd);
    const db = new Database(join(cache.directory, 'cache.db'));
    db.prepare('UPDATE Cache SET size = ? WHERE filename IS NOT NULL').run(size); // the row agrees with the file
    db.close();
    expect(statSync(path).size).toBe(size);
    expect(() => cache.get('big')).toThrow(InvalidValueError);
    expect(() => cache.get('big')).toThrow(/over the 2 GiB.*read\(key\)/);
    const stream = cache.read('big');
    expect(stream).toBeDefined();
    stream!.destroy();
  });

  it('ensureFolder retries ENOENT only while the destination folder is missing', () => {
    const cache = openCache();
    const full = join(cache.directory, cache.disk.newFilename());
    let calls = 0;
    const missingSource = () => {
      calls++;
      readFileSync(join(cache.directory, 'no-such-source'));
    };
    expect(() => cache.disk.ensureFolder(full, missingSource)).toThrow(/ENOENT/);
    expect(calls).toBe(1);
  });

  // Root reads any file whatever its mode: there is nothing to refuse.
  it.skipIf(process.getuid?.() === 0)('an existing cache.db that cannot be read is a CacheDirectoryError', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cache.db'), '', { mode: 0o000 });
    expect(() => new Cache(dir)).toThrow(CacheDirectoryError);
  });
});
