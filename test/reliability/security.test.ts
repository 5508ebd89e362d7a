import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Cache, CorruptCacheError, FanoutCache, MODE } from '../../engine/index.js';
import { openCache, tempDir } from '../engine/helpers.js';

/** Every file and folder under `root`, as [relative path, mode bits]. */
function tree(root: string): [string, number, 'file' | 'dir'][] {
  return (readdirSync(root, { recursive: true }) as string[]).map((name) => {
    const stat = statSync(join(root, name));
    return [name, stat.mode & 0o777, stat.isDirectory() ? 'dir' : 'file'];
  });
}

/** Writes a row behind the engine's back, as someone with write access to cache.db could. */
function tamper(dir: string, sql: string, ...params: unknown[]): void {
  const db = new Database(join(dir, 'cache.db'));
  db.prepare(sql).run(...params);
  db.close();
}

const PAYLOADS = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"a":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}',
  '"(function(){ globalThis.pwned = true })()"',
  '{"toJSON":"function(){ globalThis.pwned = true }","valueOf":"x","then":"y"}',
];

describe('decoding never runs code or pollutes prototypes', () => {
  it('crafted JSON rows (__proto__, constructor.prototype, code strings) decode as inert data', () => {
    const cache = openCache();
    cache.set('k', 'placeholder');
    for (const payload of PAYLOADS) {
      tamper(cache.directory, "UPDATE Cache SET mode = ?, value = ? WHERE key = 'k'", MODE.JSON, payload);
      const value = cache.get('k') as Record<string, unknown> | string;
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
      expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
      if (typeof value === 'object') {
        expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
        // The payload is an own data property, not a prototype switch.
        expect(JSON.stringify(value)).toBe(JSON.stringify(JSON.parse(payload)));
      } else expect(typeof value).toBe('string');
    }
  });

  it('a value with an own "__proto__" key round-trips as data through set/get, in the row and in a spill file', () => {
    const cache = openCache({ diskMinFileSize: 200 });
    for (const pad of ['', 'x'.repeat(400)]) {
      const value = JSON.parse(`{"__proto__":{"polluted":"yes"},"pad":"${pad}"}`) as Record<string, unknown>;
      cache.set('p', value as never);
      const back = cache.get('p') as Record<string, unknown>;
      expect(Object.getOwnPropertyNames(back)).toEqual(['__proto__', 'pad']);
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(back.polluted).toBeUndefined();
    }
  });

  it('a row with a mode tag the Disk does not know is a CorruptCacheError, in the row or with a spill file', () => {
    const cache = openCache({ diskMinFileSize: 100 });
    cache.set('row', 'x');
    cache.set('file', 'y'.repeat(500));
    for (const mode of [0, 9, 99, -1, 2 ** 40]) {
      tamper(cache.directory, "UPDATE Cache SET mode = ? WHERE key IN ('row', 'file')", mode);
      expect(() => cache.get('row')).toThrow(CorruptCacheError);
      expect(() => cache.get('file')).toThrow(CorruptCacheError);
      expect(() => cache.get('row', { tag: true })).toThrow(/unknown value mode/);
    }
  });

  it('a spill file holding JavaScript is returned as text, never evaluated', () => {
    const cache = openCache({ diskMinFileSize: 100 });
    const code = `globalThis.pwned = true; ${'/* pad */'.repeat(20)}`;
    cache.set('js', code);
    expect(cache.get('js')).toBe(code);
    writeFileSync(cache.filePath('js')!, code.replace('true', 'truE')); // same size, different text
    expect(cache.get('js')).toBe(code.replace('true', 'truE'));
    expect((globalThis as Record<string, unknown>).pwned).toBeUndefined();
  });
});

describe('owner-only files', () => {
  it('by default the directory and spill folders are 0700 and cache.db, -wal, -shm and spill files 0600, whatever the umask', () => {
    const old = process.umask(0); // modes must be explicit, not an accident of the umask
    try {
      const dir = join(tempDir(), 'cache');
      const cache = new Cache(dir, { diskMinFileSize: 100 });
      cache.set('spilled', 'z'.repeat(1000));
      cache.set('row', 1);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const entries = tree(dir);
      expect(entries.map((e) => e[0])).toEqual(expect.arrayContaining(['cache.db', 'cache.db-wal', 'cache.db-shm']));
      for (const [name, mode, type] of entries) expect([name, mode]).toEqual([name, type === 'dir' ? 0o700 : 0o600]);
      cache.close();
    } finally {
      process.umask(old);
    }
  });

  it('fileMode and dirMode change them (e.g. group-readable for a shared cache)', () => {
    const old = process.umask(0);
    try {
      const dir = join(tempDir(), 'shared');
      const cache = new Cache(dir, { diskMinFileSize: 100, fileMode: 0o640, dirMode: 0o750 });
      cache.set('spilled', 'z'.repeat(1000));
      expect(statSync(dir).mode & 0o777).toBe(0o750);
      for (const [name, mode, type] of tree(dir)) expect([name, mode]).toEqual([name, type === 'dir' ? 0o750 : 0o640]);
      cache.close();
    } finally {
      process.umask(old);
    }
  });

  it('under umask 0o022, a group-writable fileMode/dirMode still comes out as configured (Cache, setStream, read: true, FanoutCache)', async () => {
    const old = process.umask(0o022); // the common umask strips group write from whatever mkdir/open are given
    try {
      const options = { diskMinFileSize: 100, fileMode: 0o660, dirMode: 0o770 };
      const dir = join(tempDir(), 'shared', 'nested');
      const cache = new Cache(dir, options);
      cache.set('spilled', 'z'.repeat(1000));
      const source = join(tempDir(), 'source.bin');
      writeFileSync(source, 'bytes');
      cache.set('copied', source, { read: true });
      await cache.setStream('streamed', Readable.from([Buffer.from('s'.repeat(500))]));
      expect(statSync(dir).mode & 0o777).toBe(0o770);
      expect(statSync(join(dir, '..')).mode & 0o777).toBe(0o770); // created parents too
      const entries = tree(dir);
      expect(entries.map((e) => e[0])).toEqual(expect.arrayContaining(['cache.db', 'cache.db-wal', 'cache.db-shm']));
      for (const [name, mode, type] of entries) expect([name, mode]).toEqual([name, type === 'dir' ? 0o770 : 0o660]);
      cache.close();
      const fdir = join(tempDir(), 'fanout');
      const fanout = new FanoutCache(fdir, { shards: 2, ...options });
      for (let i = 0; i < 6; i++) fanout.set(`k${i}`, 'w'.repeat(300));
      for (const [name, mode, type] of tree(fdir)) expect([name, mode]).toEqual([name, type === 'dir' ? 0o770 : 0o660]);
      fanout.close();
    } finally {
      process.umask(old);
    }
  });

  it('FanoutCache: shard folders, fanout.json and shard files are owner-only too', () => {
    const old = process.umask(0);
    try {
      const dir = join(tempDir(), 'fanout');
      const cache = new FanoutCache(dir, { shards: 3, diskMinFileSize: 100 });
      for (let i = 0; i < 12; i++) cache.set(`k${i}`, 'w'.repeat(300));
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const entries = tree(dir);
      expect(entries.length).toBeGreaterThan(12);
      for (const [name, mode, type] of entries) expect([name, mode]).toEqual([name, type === 'dir' ? 0o700 : 0o600]);
      cache.close();
    } finally {
      process.umask(old);
    }
  });
});

const HOSTILE_KEYS = [
  '../../etc/passwd',
  '../escape',
  '/etc/passwd',
  '..\\..\\windows\\system32',
  'a/../../../b',
  './././x',
  '\0nul',
  'ab/cd/ef.val',
  '%2e%2e%2fescape',
  '.',
  '..',
  '',
  '~root/.ssh/authorized_keys',
  'x'.repeat(4000),
  Buffer.from('../../bytes-key'),
];

describe('keys never escape the cache directory', () => {
  for (const kind of ['Cache', 'FanoutCache'] as const) {
    it(`${kind}: path-like keys with spilled values (set, read: true, setStream) write only random names under the directory`, async () => {
      const sandbox = tempDir();
      const dir = join(sandbox, 'a', 'b', 'cache');
      mkdirSync(dir, { recursive: true });
      const source = join(sandbox, 'source.bin');
      writeFileSync(source, Buffer.alloc(300, 1));
      const cache =
        kind === 'Cache'
          ? new Cache(dir, { diskMinFileSize: 100 })
          : new FanoutCache(dir, { shards: 4, diskMinFileSize: 100 });
      for (const key of HOSTILE_KEYS) {
        cache.set(key, `value for ${String(key)} `.repeat(20));
        cache.set(Buffer.isBuffer(key) ? Buffer.concat([key, Buffer.from('r')]) : `${key}#read`, source, {
          read: true,
        });
        await cache.setStream(
          Buffer.isBuffer(key) ? Buffer.concat([key, Buffer.from('s')]) : `${key}#stream`,
          Readable.from([Buffer.alloc(200, 2)]),
        );
        expect(cache.get(key)).toBe(`value for ${String(key)} `.repeat(20));
      }
      const real = realpathSync(dir);
      const spills = tree(dir)
        .filter(([, , type]) => type === 'file')
        .map(([name]) => name)
        .filter((n) => n.endsWith('.val'));
      expect(spills.length).toBe(HOSTILE_KEYS.length * 3);
      for (const name of spills) {
        expect(realpathSync(join(dir, name)).startsWith(`${real}/`)).toBe(true);
        // The spill name is random hex: no part of any key's text can appear in it.
        expect(name.split('/').slice(-3).join('/')).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{28}\.val$/);
      }
      // Nothing appeared beside the cache directory, nor above it.
      expect(readdirSync(sandbox).sort()).toEqual(['a', 'source.bin']);
      expect(readdirSync(join(sandbox, 'a'))).toEqual(['b']);
      expect(readdirSync(join(sandbox, 'a', 'b'))).toEqual(['cache']);
      expect(readFileSync('/etc/passwd', 'utf8')).toMatch(/^root:/);
      expect(relative(dir, cache.filePath('../../etc/passwd')!).startsWith('..')).toBe(false);
      cache.close();
    });
  }
});
