import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  Cache,
  FanoutCache,
  HASH_NAME,
  InvalidOptionError,
  InvalidValueError,
  ShardLayoutError,
  fnv1a32,
  keyHash,
  type FanoutOptions,
  type Key,
} from '../../engine/index.js';
import { fakeClock, tempDir } from './helpers.js';

const open: FanoutCache[] = [];
const kept: string[] = [];
/** A temp dir that outlives single tests (removed in afterAll). */
function tempDirKept(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cachebench-test-'));
  kept.push(dir);
  return dir;
}
afterEach(() => {
  for (const cache of open.splice(0)) cache.close();
});

function fanout(dir = tempDir(), options: FanoutOptions = {}): FanoutCache {
  const cache = new FanoutCache(dir, options);
  open.push(cache);
  return cache;
}

describe('shard hash', () => {
  it('is FNV-1a 32 (published test vectors)', () => {
    expect(fnv1a32(Buffer.from(''))).toBe(0x811c9dc5);
    expect(fnv1a32(Buffer.from('a'))).toBe(0xe40c292c);
    expect(fnv1a32(Buffer.from('foobar'))).toBe(0xbf9cf968);
  });

  // Expected values computed independently (a Python FNV-1a over kind byte + serialised key);
  // they must never change, or existing directories would misroute keys.
  const TABLE: [Key, number, number, number][] = [
    ['', 0x050c5d1f, 7, 0],
    ['a', 0x70772d5a, 2, 0],
    ['hello', 0x73408525, 5, 1],
    ['1', 0x2076af6a, 2, 2],
    ['ключ', 0xd8e638fb, 3, 0],
    ['🚀', 0xcc7bba7c, 4, 1],
    [0, 0xa79cc10c, 4, 0],
    [-0, 0xa79cc10c, 4, 0],
    [1, 0x716df1e3, 3, 0],
    [1.5, 0xcec30a0b, 3, 2],
    [-42, 0xc79c209b, 3, 2],
    [2 ** 53, 0x02c167ef, 7, 0],
    [1n, 0x8c7bd69c, 4, 0],
    [-123456789012345678901234567890n, 0x3027c6a9, 1, 1],
    [Buffer.from([]), 0x060c5eb2, 2, 2],
    [Buffer.from([1]), 0x387913c9, 1, 1],
    [Buffer.from('hello'), 0x290261fa, 2, 0],
    [new Uint8Array([104, 101, 108, 108, 111]), 0x290261fa, 2, 0],
  ];

  let eight: FanoutCache;
  let three: FanoutCache;
  beforeAll(() => {
    eight = new FanoutCache(tempDirKept(), { shards: 8 });
    three = new FanoutCache(tempDirKept(), { shards: 3 });
  });
  afterAll(() => {
    eight.close();
    three.close();
    for (const dir of kept.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.each(TABLE)('key %s hashes to %i and lands in shard %i of 8, %i of 3', (key, hash, of8, of3) => {
    const kind = eight.disk.keyKind(key);
    expect(keyHash(kind, eight.disk.keyValue(key, kind))).toBe(hash);
    expect(eight.shardIndex(key)).toBe(of8);
    expect(three.shardIndex(key)).toBe(of3);
    // …and the entry really is stored in that shard's folder.
    eight.set(key, 'v');
    const shard = new Cache(join(eight.directory, String(of8).padStart(3, '0')));
    expect(shard.get(key)).toBe('v');
    shard.close();
    eight.delete(key);
  });
});

describe('FanoutCache', () => {
  it('spreads keys over shard folders and behaves like Cache', () => {
    const cache = fanout();
    for (let i = 0; i < 200; i++) expect(cache.set(`k${i}`, i)).toBe(true);
    expect(
      readdirSync(cache.directory)
        .filter((n) => /^\d{3}$/.test(n))
        .sort(),
    ).toEqual(['000', '001', '002', '003', '004', '005', '006', '007']);
    for (let i = 0; i < 8; i++) {
      const shard = new Cache(join(cache.directory, `00${i}`));
      expect(shard.length).toBeGreaterThan(5);
      shard.close();
    }
    expect(cache.length).toBe(200);
    expect(cache.get('k7')).toBe(7);
    expect(cache.get('nope', { default: 'd' })).toBe('d');
    expect(cache.add('k7', 'x')).toBe(false);
    expect(cache.incr('n', 5)).toBe(5);
    expect(cache.pop('k8')).toBe(8);
    expect(cache.has('k8')).toBe(false);
    expect(cache.delete('k9')).toBe(true);
    expect(cache.delete('k9')).toBe(false);
    expect(new Set(cache.keys()).size).toBe(199); // 200 + 'n' − 'k8' − 'k9'
    expect(cache.volume()).toBeGreaterThan(0);
    expect(cache.check()).toEqual([]);
    expect(cache.clear()).toBe(199);
    expect(cache.length).toBe(0);
  });

  it('aggregates expire and evict over shards, on the injected clock', () => {
    const clock = fakeClock();
    const cache = fanout(tempDir(), { now: clock.now });
    for (let i = 0; i < 40; i++) cache.set(i, i, { expire: i < 10 ? 5 : null, tag: i % 2 === 0 ? 'even' : null });
    clock.advance(10);
    expect(cache.expire()).toBe(10);
    expect(cache.evict('even')).toBe(15);
    expect(cache.length).toBe(15);
    expect(cache.get(11, { expireTime: true, tag: true })).toEqual({ value: 11, expireTime: null, tag: null });
  });

  it('splits sizeLimit evenly and reports the total', () => {
    const cache = fanout(tempDir(), { shards: 4, sizeLimit: 4 * 2 ** 20 });
    expect(cache.settings.sizeLimit).toBe(4 * 2 ** 20);
    const shard = new Cache(join(cache.directory, '002'));
    expect(shard.settings.sizeLimit).toBe(2 ** 20);
    shard.close();
  });

  it('batch calls route each key to its shard', () => {
    const cache = fanout();
    expect(cache.setMany(Array.from({ length: 50 }, (_, i) => [`b${i}`, i] as [string, number]))).toBe(50);
    expect(cache.getMany(['b3', 'missing', 'b49'], { default: -1 })).toEqual([3, -1, 49]);
    expect(cache.deleteMany(['b1', 'b2', 'missing'])).toBe(2);
    expect(cache.length).toBe(48);
  });

  it('a batch with one bad entry stores nothing on any shard', () => {
    const cache = fanout();
    const entries: [string, unknown][] = Array.from({ length: 16 }, (_, i) => [`k${i}`, 'x'.repeat(40_000)]);
    entries.push(['bad', () => 1]);
    expect(() => cache.setMany(entries as [string, string][])).toThrow(InvalidValueError);
    expect(() => cache.setMany([['a', 1], 'not a pair'] as never)).toThrow(/\[key, value\] pair/);
    expect(cache.length).toBe(0);
    expect(cache.check()).toEqual([]);
  });

  it('transact holds every shard and rolls back all of them', () => {
    const cache = fanout();
    expect(() =>
      cache.transact(() => {
        for (let i = 0; i < 20; i++) cache.set(i, i);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(cache.length).toBe(0);
    cache.transact(() => cache.set('a', 1));
    expect(cache.get('a')).toBe(1);
  });

  it('memoize works through the shards', () => {
    const cache = fanout();
    let calls = 0;
    const square = cache.memoize(
      function square(x: number) {
        calls++;
        return x * x;
      },
      { name: 'fanout-test.square' },
    );
    expect([square(3), square(3), square(4)]).toEqual([9, 9, 16]);
    expect(calls).toBe(2);
  });
});

describe('timeouts', () => {
  it('a locked shard: set → false, get (with statistics) → default, delete → false; counted per shard', () => {
    const cache = fanout(tempDir(), { timeout: 0.01, statistics: true });
    const key = 'locked-key';
    cache.set(key, 'v');
    const index = cache.shardIndex(key);
    const other = new Cache(join(cache.directory, String(index).padStart(3, '0')));
    other.transact(() => {
      expect(cache.set(key, 'w')).toBe(false);
      expect(cache.get(key, { default: 'default' })).toBe('default');
      expect(cache.delete(key)).toBe(false);
      expect(cache.incr('n')).toBe(cache.shardIndex('n') === index ? null : 1);
    });
    other.close();
    const expected = cache.shardIndex('n') === index ? 4 : 3;
    expect(cache.timeouts).toBe(expected);
    const stats = cache.stats();
    expect(stats.timeouts).toBe(expected);
    expect(stats.shards[index]!.timeouts).toBe(expected);
    expect(stats.shards.reduce((sum, s) => sum + s.timeouts, 0)).toBe(expected);
    expect(cache.get(key)).toBe('v'); // nothing was lost or half-written
    expect(cache.stats({ reset: true }).hits).toBeGreaterThan(0);
    expect(cache.timeouts).toBe(0);
  });
});

describe('timeouts in the entry form', () => {
  it('get and pop of a locked shard answer the default in the form that was asked for', () => {
    // With statistics on, a get writes its hit count, so it too needs the shard's write lock.
    const cache = fanout(tempDir(), { timeout: 0.01, statistics: true });
    cache.set('k', 'v', { tag: 't' });
    const other = new Cache(join(cache.directory, String(cache.shardIndex('k')).padStart(3, '0')));
    other.transact(() => {
      const missed = { value: 'd', expireTime: null, tag: null };
      expect(cache.get('k', { default: 'd', expireTime: true, tag: true })).toEqual(missed);
      expect(cache.pop('k', { default: 'd', expireTime: true, tag: true })).toEqual(missed);
    });
    other.close();
    expect(cache.pop('k', { tag: true })).toEqual({ value: 'v', expireTime: null, tag: 't' });
  });
});

describe('openTimeout', () => {
  it("a user's openTimeout is respected: a shard locked during open fails after it, not after the default 60 s", () => {
    const dir = tempDir();
    fanout(dir, { shards: 2 }).close();
    const holder = new Cache(join(dir, '000'));
    try {
      holder.transact(() => {
        expect(() => new FanoutCache(dir, { openTimeout: 0.2 })).toThrow(/locked for more than 0\.2 s/);
      });
    } finally {
      holder.close();
    }
  }, 20_000);
});

describe('shard count in the directory', () => {
  it('is stored; another count is refused with a typed error; omitting it reuses the stored one', () => {
    const dir = tempDir();
    fanout(dir, { shards: 4 }).set('a', 1);
    const layout = JSON.parse(readFileSync(join(dir, 'fanout.json'), 'utf8'));
    expect(layout).toMatchObject({ shards: 4, hash: HASH_NAME, generation: 0 });
    expect(() => new FanoutCache(dir, { shards: 8 })).toThrow(ShardLayoutError);
    expect(() => new FanoutCache(dir, { shards: 8 })).toThrow(/holds 4 shards.*migrate: true/);
    const reopened = fanout(dir);
    expect(reopened.shardCount).toBe(4);
    expect(reopened.get('a')).toBe(1);
  });

  it('migrate: true rehashes every entry, keeping tags and expiry', () => {
    const clock = fakeClock();
    const dir = tempDir();
    const before = new FanoutCache(dir, { shards: 3, now: clock.now });
    for (let i = 0; i < 300; i++)
      before.set(`m${i}`, { i }, { tag: i % 3 === 0 ? 't' : null, expire: i < 30 ? 100 : null });
    before.set(Buffer.from([1, 2]), 'bytes key');
    before.set('big', 'x'.repeat(100_000));
    before.close();
    clock.advance(40);
    const after = fanout(dir, { shards: 5, migrate: true, now: clock.now });
    expect(after.shardCount).toBe(5);
    expect(after.length).toBe(302);
    for (let i = 0; i < 300; i++) expect(after.get(`m${i}`)).toEqual({ i });
    expect(after.get('m0', { expireTime: true, tag: true })).toEqual({
      value: { i: 0 },
      expireTime: clock.now() + 60,
      tag: 't',
    });
    expect(after.get(Buffer.from([1, 2]))).toBe('bytes key');
    expect(after.get('big')).toBe('x'.repeat(100_000));
    expect(after.check()).toEqual([]);
    // The old generation is gone; the new one is where fanout.json says.
    expect(existsSync(join(dir, '000'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'fanout.json'), 'utf8'))).toMatchObject({ shards: 5, generation: 1 });
    expect(readdirSync(join(dir, 'gen-1')).sort()).toEqual(['000', '001', '002', '003', '004']);
  });

  it('migrate: true loses nothing when the new per-shard size limit is small, and keeps the real cullLimit', () => {
    const dir = tempDir();
    const before = new FanoutCache(dir, { shards: 2, sizeLimit: 2 ** 20 });
    for (let i = 0; i < 400; i++) before.set(`k${i}`, 'v'.repeat(1000));
    const count = before.length;
    before.close();
    const after = fanout(dir, { shards: 16, migrate: true });
    expect(after.length).toBe(count);
    expect(after.get('k399')).toBe('v'.repeat(1000));
    expect(after.settings.cullLimit).toBe(10); // the copy ran with culling off; the stored setting is the real one
  });

  it('a migration that cannot write every entry fails and leaves the old layout in force', () => {
    const dir = tempDir();
    const before = new FanoutCache(dir, { shards: 2 });
    for (let i = 0; i < 20; i++) before.set(`k${i}`, i);
    before.close();
    const real = Cache.prototype.set;
    const spy = vi.spyOn(Cache.prototype, 'set').mockImplementation(function (this: Cache, key, value, options) {
      return key === 'k7' ? false : real.call(this, key, value, options);
    });
    try {
      expect(() => new FanoutCache(dir, { shards: 4, migrate: true })).toThrow(ShardLayoutError);
    } finally {
      spy.mockRestore();
    }
    const still = fanout(dir);
    expect(still.shardCount).toBe(2);
    expect(still.length).toBe(20);
  });

  it('a migration killed half-way left the old layout in force; the next one cleans up and completes', () => {
    const dir = tempDir();
    const before = new FanoutCache(dir, { shards: 2 });
    for (let i = 0; i < 50; i++) before.set(i, i);
    before.close();
    // What a killed migration leaves: a half-written generation and a lock of a dead process.
    mkdirSync(join(dir, 'gen-1', '000'), { recursive: true });
    writeFileSync(join(dir, 'gen-1', '000', 'cache.db'), '');
    writeFileSync(join(dir, 'migrate.lock'), '2147483646');
    const still = fanout(dir);
    expect(still.shardCount).toBe(2);
    expect(still.length).toBe(50);
    still.close();
    const after = fanout(dir, { shards: 4, migrate: true });
    expect(after.length).toBe(50);
    expect(after.get(49)).toBe(49);
    expect(existsSync(join(dir, 'migrate.lock'))).toBe(false);
  });

  it("refuses diskcache's positional shard count instead of opening 8 shards, and creates nothing", () => {
    const dir = join(tempDir(), 'positional');
    expect(() => new FanoutCache(dir, 4 as never)).toThrow(InvalidOptionError);
    expect(() => new FanoutCache(dir, 4 as never)).toThrow(/\{ shards: 4 \}/);
    expect(() => new FanoutCache(dir, 'four' as never)).toThrow(/options object/);
    expect(() => new FanoutCache(dir, [4] as never)).toThrow(/an array/);
    expect(existsSync(join(dir, 'fanout.json'))).toBe(false);
    expect(fanout(dir, undefined).shardCount).toBe(8); // omitted options still mean the defaults
  });

  it('names a misspelt FanoutCache option with a hint', () => {
    const dir = tempDir();
    expect(() => new FanoutCache(dir, { shard: 4 } as never)).toThrow(
      /option shard: unknown option; did you mean shards\?/,
    );
    expect(() => new FanoutCache(dir, { migrat: true } as never)).toThrow(/did you mean migrate\?/);
    expect(() => new FanoutCache(dir, { timout: 1 } as never)).toThrow(/did you mean timeout\?/);
    expect(() => new FanoutCache(dir, { sizeLimt: 1 } as never)).toThrow(/did you mean sizeLimit\?/); // Cache's options keep Cache's hint
    expect(existsSync(join(dir, 'fanout.json'))).toBe(false);
  });

  it('rejects a bad shard count naming the option', () => {
    expect(() => new FanoutCache(tempDir(), { shards: 0 })).toThrow(/shards/);
    expect(() => new FanoutCache(tempDir(), { shards: 2.5 })).toThrow(/shards/);
  });
});
