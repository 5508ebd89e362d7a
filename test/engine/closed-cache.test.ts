import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Cache, CacheStateError, Deque, FanoutCache, Index } from '../../engine/index.js';
import { tempDir } from './helpers.js';

/** Valid arguments for each public method: after close() the only thing wrong with the call is the state. */
const ARGS: Record<string, unknown[]> = {
  clock: [],
  set: ['k', 1, { expire: 60 }],
  add: ['k', 1],
  setStream: ['s', Readable.from([Buffer.from('x')])],
  get: ['k'],
  read: ['k'],
  filePath: ['k'],
  has: ['k'],
  delete: ['k'],
  pop: ['k'],
  touch: ['k', 5],
  incr: ['n'],
  decr: ['n'],
  push: [1],
  pull: [],
  peek: [],
  queueLength: [],
  getMany: [['k']],
  setMany: [[['k', 1]]],
  deleteMany: [['k']],
  peekitem: [],
  iterkeys: [],
  reversed: [],
  reset: ['cullLimit', 5],
  createTagIndex: [],
  dropTagIndex: [],
  keys: [],
  [Symbol.iterator as unknown as string]: [],
  volume: [],
  expire: [],
  evict: ['t'],
  clear: [],
  cull: [],
  check: [],
  stats: [],
  transact: [() => 1],
  memoize: [
    function square(x: number) {
      return x * x;
    },
  ],
};

/** Whatever calling `name` produces: its throw, or its rejection for setStream (the one async method). */
async function outcome(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('a closed cache', () => {
  it('throws CacheStateError from every public method and accessor of Cache (close() itself is idempotent)', async () => {
    const cache = new Cache(tempDir());
    cache.set('k', 1);
    cache.close();
    cache.close();
    const proto = Cache.prototype as unknown as Record<string | symbol, unknown>;
    const names = [...Object.getOwnPropertyNames(proto), ...Object.getOwnPropertySymbols(proto)].filter(
      (n) => n !== 'constructor' && n !== 'close',
    );
    const accessors = names.filter((n) => Object.getOwnPropertyDescriptor(proto, n)!.get !== undefined);
    const methods = names.filter((n) => !accessors.includes(n));
    // Every method has arguments here: a method added to Cache must be added to ARGS to pass.
    expect(methods.map(String).sort()).toEqual([...Object.keys(ARGS), 'Symbol(Symbol.iterator)'].sort());
    const target = cache as unknown as Record<string | symbol, (...args: unknown[]) => unknown>;
    for (const name of methods) {
      const error = await outcome(() => target[name]!(...ARGS[name as string]!));
      expect(error, `${String(name)}()`).toBeInstanceOf(CacheStateError);
      expect((error as Error).message, String(name)).toMatch(/the cache is closed/);
    }
    expect(accessors.sort()).toEqual(['disk', 'length', 'settings']);
    for (const name of accessors) expect(() => target[name], String(name)).toThrow(CacheStateError);
    expect(cache.directory).toMatch(/cachebench-test-/); // where the data lives stays known
  });

  it('an iterator started before close() throws CacheStateError when it reads the next page', () => {
    const cache = new Cache(tempDir());
    for (let i = 0; i < 150; i++) cache.set(i, i); // two pages of 100
    const open = [cache.keys(), cache.iterkeys()];
    for (const keys of open) expect(keys.next().value).toBe(0);
    cache.close();
    for (const keys of open) expect(() => [...keys]).toThrow(CacheStateError);
  });

  it('Deque, Index and FanoutCache (whose keys() go through its shards) throw CacheStateError too', () => {
    const deque = new Deque(tempDir());
    deque.append(1);
    deque.close();
    expect(() => deque.length).toThrow(CacheStateError);
    expect(() => deque.append(2)).toThrow(CacheStateError);
    expect(() => [...deque]).toThrow(CacheStateError);

    const index = new Index(tempDir());
    index.set('a', 1);
    index.close();
    expect(() => [...index.keys()]).toThrow(CacheStateError);
    expect(() => index.peekitem()).toThrow(CacheStateError);

    const fanout = new FanoutCache(tempDir(), { shards: 2 });
    fanout.set('a', 1);
    fanout.close();
    fanout.close();
    expect(() => [...fanout.keys()]).toThrow(CacheStateError);
    for (const call of [
      () => fanout.get('a'),
      () => fanout.clear(),
      () => fanout.expire(),
      () => fanout.length,
      () => fanout.stats(),
    ]) {
      expect(call).toThrow(CacheStateError);
    }
  });
});
