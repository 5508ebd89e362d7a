import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, BackendOptions, Capability, Provisioned, Value } from '../../backends/backend.js';
import { BACKENDS, DEFAULT_BACKENDS } from '../../backends/registry.js';
import { memcachedBinary, redisServerBinary, serverBinary } from '../helpers/servers.js';
import { pythonWith } from './python-availability.js';

/**
 * The same behavioural tests against every registered backend. Each row of
 * the table below is a registered factory; a new backend is covered as soon
 * as it is registered (the first test fails if it has no row).
 */
interface Row {
  options: BackendOptions;
  /** A reason to skip this backend here, decided at run time. */
  skip?: string;
  /** incr of a missing key throws (Django's semantics) instead of counting from 0. */
  incrNeedsKey?: boolean;
}

const redis = redisServerBinary();
const redisCli = serverBinary('redis-cli', 'apt-get install redis-server (it brings redis-tools)');
const memcached = memcachedBinary();
const diskcache = pythonWith('diskcache', 'python3-diskcache');
const django = pythonWith('django', 'python3-django');
const redisPy = pythonWith('redis', 'python3-redis');
const bsddb3 = pythonWith('bsddb3', 'python3-bsddb3');
const skipUnless = (...needs: { available: boolean; reason: string }[]): { skip?: string } => {
  const missing = needs.find((n) => !n.available);
  return missing ? { skip: missing.reason } : {};
};
const TABLE: Record<string, Row> = {
  memory: { options: {} },
  'sqlite-raw': { options: {} },
  sqlite: { options: {} },
  fanout: { options: { shards: '4' } },
  // Enough room that culling never removes a key a test just wrote (culling has its own tests).
  filebased: { options: { max_entries: '10000' }, incrNeedsKey: true },
  redis: { options: {}, ...(redis.available ? {} : { skip: redis.reason }) },
  // no_sync keeps the suite fast; durable commits are the same code path plus an fsync.
  lmdb: { options: { no_sync: 'yes' } },
  leveldb: { options: {} },
  rocksdb: { options: {} },
  memcached: { options: {}, ...(memcached.available ? {} : { skip: memcached.reason }) },
  // A private cluster of 3 masters; its batch operations split keys by hash slot.
  'redis-cluster': { options: {}, ...skipUnless(redis, redisCli) },
  // The Python originals, through the worker protocol's call messages (one round trip per call).
  'py-diskcache': { options: {}, ...skipUnless(diskcache) },
  'py-fanout': { options: { shards: '4' }, ...skipUnless(diskcache) },
  'py-django-filebased': { options: {}, ...skipUnless(django) },
  'py-redis': { options: {}, ...skipUnless(redisPy, redis) },
  'py-dict': { options: {} },
  'py-berkeleydb': { options: {}, ...skipUnless(bsddb3) },
};

/** Further configurations of a registered backend that take other code paths: several servers, keys spread by the client. */
const VARIANTS: [name: string, label: string, Row][] = [
  [
    'memcached',
    'memcached:servers=3',
    { options: { servers: '3' }, ...(memcached.available ? {} : { skip: memcached.reason }) },
  ],
];

const ALL_CAPABILITIES: Capability[] = ['expire', 'incr', 'pop', 'add', 'read', 'getMany', 'setMany', 'deleteMany'];
const DURABILITIES = ['fsync-per-write', 'fsync-at-checkpoint', 'os-buffered', 'never', 'unknown'];

it('every registered backend has a row in the conformance table, and the defaults are registered', () => {
  expect([...BACKENDS.keys()].filter((name) => !(name in TABLE))).toEqual([]);
  expect(DEFAULT_BACKENDS.filter((name) => !BACKENDS.has(name))).toEqual([]);
});

function same(actual: Value | undefined, expected: Value): void {
  if (typeof expected === 'string') {
    expect(actual).toBe(expected);
  } else {
    expect(actual).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(actual as Uint8Array).equals(Buffer.from(expected))).toBe(true);
  }
}

/** Runs a backend call so a sync throw and an async rejection both become a rejected promise. */
async function attempt<T>(call: () => T | Promise<T>): Promise<T> {
  return call();
}

/** The whole of `read(key)`'s stream, or undefined on a miss. */
async function readBytes(backend: Backend, key: string): Promise<Buffer | undefined> {
  const stream = await backend.read!(key);
  if (stream === undefined) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const CASES: [name: string, label: string, Row][] = [
  ...[...BACKENDS.keys()].map((name): [string, string, Row] => [name, name, TABLE[name] ?? { options: {} }]),
  ...VARIANTS,
];

for (const [name, label, row] of CASES) {
  const factory = BACKENDS.get(name)!;
  describe.skipIf(row.skip !== undefined)(`${label} conformance${row.skip ? ` (skipped: ${row.skip})` : ''}`, () => {
    let directory: string;
    let provisioned: Provisioned;
    let backend: Backend;
    const savedUrl = process.env.REDIS_URL;

    beforeAll(async () => {
      directory = mkdtempSync(join(tmpdir(), `cachebench-conformance-${name}-`));
      delete process.env.REDIS_URL; // tests use a private server, never a shared one
      delete process.env.MEMCACHED_SERVERS;
      delete process.env.MEMCACHED_URL;
      delete process.env.REDIS_CLUSTER_NODES;
      provisioned = await factory.provision(row.options, { directory });
      backend = factory.create(JSON.parse(JSON.stringify(provisioned.spec)), name);
      await backend.open();
    });

    afterAll(async () => {
      await backend?.close();
      await provisioned?.teardown();
      if (savedUrl !== undefined) process.env.REDIS_URL = savedUrl;
      rmSync(directory, { recursive: true, force: true });
    });

    it('misses a key that was never set', async () => {
      expect(await backend.get('never-set')).toBeUndefined();
    });

    it.each<[string, Value]>([
      ['text', 'hello world'],
      ['empty text', ''],
      ['unicode text', 'naïve café — 日本語 🚀'],
      ['bytes', Uint8Array.from({ length: 256 }, (_, i) => i)],
      ['empty bytes', new Uint8Array(0)],
    ])('round-trips a %s value with its type', async (_kind, value) => {
      expect(await backend.set(`round-trip:${_kind}`, value)).toBe(true);
      same(await backend.get(`round-trip:${_kind}`), value);
    });

    it('delete returns true for a present key, then false', async () => {
      await backend.set('to-delete', 'x');
      expect(await backend.delete('to-delete')).toBe(true);
      expect(await backend.get('to-delete')).toBeUndefined();
      expect(await backend.delete('to-delete')).toBe(false);
    });

    it('overwrites a value, also with a different type', async () => {
      await backend.set('overwrite', 'first');
      await backend.set('overwrite', 'second');
      expect(await backend.get('overwrite')).toBe('second');
      await backend.set('overwrite', Uint8Array.of(1, 2, 3));
      same(await backend.get('overwrite'), Uint8Array.of(1, 2, 3));
    });

    it('stores 1 MiB values intact', async () => {
      const bytes = randomBytes(2 ** 20);
      const text = 'abcdefghijklmnop'.repeat(2 ** 16);
      await backend.set('big-bytes', bytes);
      await backend.set('big-text', text);
      same(await backend.get('big-bytes'), bytes);
      same(await backend.get('big-text'), text);
    });

    it('keeps unicode and binary-looking keys apart', async () => {
      const keys = ['ключ-🔑', 'key with spaces', '\u0001\u0002\u00ff', 'a/b\\c:d*?', 'K'.repeat(500), 'ключ-🔐'];
      for (const [i, key] of keys.entries()) await backend.set(key, `value ${i}`);
      for (const [i, key] of keys.entries()) expect(await backend.get(key)).toBe(`value ${i}`);
    });

    it('clear removes every entry', async () => {
      await backend.set('clear-a', '1');
      await backend.set('clear-b', '2');
      await backend.clear();
      expect(await backend.get('clear-a')).toBeUndefined();
      expect(await backend.get('clear-b')).toBeUndefined();
    });

    it('declares capabilities honestly: a declared one has its method, an absent one has none', () => {
      for (const capability of ALL_CAPABILITIES) {
        const method = (backend as unknown as Record<string, unknown>)[capability];
        if (capability === 'expire') continue; // expire is an argument of set, not a method
        if (backend.capabilities.has(capability)) expect(typeof method, capability).toBe('function');
        else expect(method, capability).toBeUndefined();
      }
    });

    it('a sync backend returns plain values, an async one promises', async () => {
      const result = backend.get('call-style');
      const isThenable = typeof (result as { then?: unknown } | undefined)?.then === 'function';
      expect(isThenable).toBe(backend.callStyle === 'async');
      await result;
    });

    it('describe() reports its configuration as plain JSON', async () => {
      const description = await backend.describe();
      expect(description.name).toBe(name);
      expect(description.label).toBe(backend.label);
      expect(description.callStyle).toBe(backend.callStyle);
      expect(DURABILITIES).toContain(description.durability);
      expect([...description.capabilities].sort()).toEqual([...backend.capabilities].sort());
      expect(JSON.parse(JSON.stringify(description))).toEqual(description);
      expect(typeof description.version).toBe('string');
    });

    it('rejects an unknown option, naming it', async () => {
      await expect(factory.provision({ no_such_option: '1' }, { directory })).rejects.toThrow(/no_such_option/);
    });

    describe('capabilities', () => {
      const has = (c: Capability) => () => backend.capabilities.has(c);

      it('expire: an entry is there before its time and gone after', async (context) => {
        if (!has('expire')()) return context.skip(`${name} has no expire capability`);
        await backend.set('expiring', 'soon gone', 1);
        await backend.set('staying', 'kept');
        expect(await backend.get('expiring')).toBe('soon gone');
        await new Promise((resolve) => setTimeout(resolve, 1_300));
        expect(await backend.get('expiring')).toBeUndefined();
        expect(await backend.get('staying')).toBe('kept');
      });

      it('incr: counts from 0 and adds deltas', async (context) => {
        if (!has('incr')()) return context.skip(`${name} has no incr capability`);
        if (row.incrNeedsKey) {
          await expect(attempt(() => backend.incr!('counter', 1))).rejects.toThrow(/missing key/);
          await backend.set('counter', '0');
        }
        expect(await backend.incr!('counter', 1)).toBe(1);
        expect(await backend.incr!('counter', 41)).toBe(42);
        expect(await backend.incr!('counter', -2)).toBe(40);
        expect(String(await backend.get('counter'))).toBe('40');
      });

      it('add: writes only when the key is absent', async (context) => {
        if (!has('add')()) return context.skip(`${name} has no add capability`);
        expect(await backend.add!('added', 'first')).toBe(true);
        expect(await backend.add!('added', 'second')).toBe(false);
        expect(await backend.get('added')).toBe('first');
      });

      it('pop: returns the value and removes it', async (context) => {
        if (!has('pop')()) return context.skip(`${name} has no pop capability`);
        await backend.set('popped', Uint8Array.of(9, 8, 7));
        same(await backend.pop!('popped'), Uint8Array.of(9, 8, 7));
        expect(await backend.get('popped')).toBeUndefined();
        expect(await backend.pop!('popped')).toBeUndefined();
      });

      it('no expire: an expiring set (and add) is refused, and nothing is stored', async (context) => {
        if (has('expire')()) return context.skip(`${name} declares expire (tested above)`);
        // A sync backend throws, an async one rejects: both must refuse, never store the value as permanent.
        await expect(attempt(() => backend.set('no-expiry', 'v', 0.01))).rejects.toThrow(/no expire capability/);
        expect(await backend.get('no-expiry')).toBeUndefined();
        if (has('add')()) {
          await expect(attempt(() => backend.add!('no-expiry-add', 'v', 0.01))).rejects.toThrow(/no expire capability/);
          expect(await backend.get('no-expiry-add')).toBeUndefined();
        }
      });

      it("read: streams a stored value's bytes, small and 1 MiB, and answers undefined on a miss", async (context) => {
        if (!has('read')()) return context.skip(`${name} has no read capability`);
        const small = Uint8Array.from({ length: 100 }, (_, i) => i);
        const big = randomBytes(2 ** 20);
        await backend.set('read-small', small);
        await backend.set('read-big', big);
        expect((await readBytes(backend, 'read-small'))?.equals(Buffer.from(small))).toBe(true);
        expect((await readBytes(backend, 'read-big'))?.equals(big)).toBe(true);
        expect(await readBytes(backend, 'read-missing')).toBeUndefined();
        await backend.delete('read-small');
        expect(await readBytes(backend, 'read-small')).toBeUndefined();
      });

      it('getMany: values in key order, undefined for a miss', async (context) => {
        if (!has('getMany')()) return context.skip(`${name} has no getMany capability`);
        await backend.set('g1', 'one');
        await backend.set('g2', Uint8Array.of(2));
        const values = await backend.getMany!(['g2', 'missing', 'g1', 'g1']);
        expect(values).toHaveLength(4);
        same(values[0], Uint8Array.of(2));
        expect(values[1]).toBeUndefined();
        expect(values[2]).toBe('one');
        expect(values[3]).toBe('one');
        expect(await backend.getMany!([])).toEqual([]);
      });

      it('setMany: writes every entry and answers how many', async (context) => {
        if (!has('setMany')()) return context.skip(`${name} has no setMany capability`);
        expect(
          await backend.setMany!([
            ['m1', 'one'],
            ['m2', Uint8Array.of(2)],
          ]),
        ).toBe(2);
        expect(await backend.get('m1')).toBe('one');
        same(await backend.get('m2'), Uint8Array.of(2));
      });

      it('deleteMany: removes the present keys and counts only those', async (context) => {
        if (!has('deleteMany')()) return context.skip(`${name} has no deleteMany capability`);
        await backend.set('d1', 'one');
        await backend.set('d2', 'two');
        expect(await backend.deleteMany!(['d1', 'd2', 'missing'])).toBe(2);
        expect(await backend.get('d1')).toBeUndefined();
        expect(await backend.get('d2')).toBeUndefined();
      });
    });
  });
}
