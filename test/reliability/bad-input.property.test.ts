import fc from 'fast-check';
import { mkdtempSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { Cache, CacheError, FanoutCache, InvalidKeyError, InvalidOptionError } from '../../engine/index.js';
import { fakeClock, tempDir } from '../engine/helpers.js';
import { anyKey, cacheOptions, storable, storeOptions, unstorable } from './arbitraries.js';

/** Either a typed CacheError or the call's result; any other throw fails the test with the input shown. */
function attempt<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: CacheError } {
  try {
    return { ok: true, value: fn() };
  } catch (error) {
    if (error instanceof CacheError) return { ok: false, error };
    throw new Error(`untyped error ${String(error)}`, { cause: error });
  }
}

/** Equal and of the same type; numbers by Object.is (NaN equals NaN, -0 is not 0). */
function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number') return Object.is(a, b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.compare(a, b) === 0;
  return isDeepStrictEqual(a, b);
}

const PREVIOUS = { previous: 'value' };
const tried: Record<string, number> = {};
const count = (name: string) => (tried[name] = (tried[name] ?? 0) + 1);

afterAll(() => {
  console.log(
    `bad input: ${Object.entries(tried)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')} — every one round-tripped or raised a typed CacheError`,
  );
});

/** What any cache-like under test offers (Cache and FanoutCache). */
type Target = Cache | FanoutCache;
// Calls go through `unknown` on purpose: plain JavaScript callers are not held to the types.
type Loose = Record<string, (...args: unknown[]) => unknown>;

/**
 * One input: the key gets PREVIOUS first; then set(key, value, options) either
 * stores a value that reads back equal (or expired, when expire says so), or
 * throws a typed error and leaves PREVIOUS in place.
 */
function setCase(
  cache: Target,
  clock: { now: () => number },
  key: unknown,
  value: unknown,
  options: unknown,
  mustFail: boolean,
): void {
  const c = cache as unknown as Loose;
  const first = attempt(() => c.set(key, PREVIOUS));
  if (!first.ok) {
    // An invalid key: every operation on it is refused the same way.
    for (const op of ['set', 'get', 'has', 'delete', 'pop', 'add', 'incr', 'touch'] as const) {
      const r = attempt(() => (op === 'set' || op === 'add' ? c[op](key, 1) : c[op](key)));
      expect(r.ok, `${op} of a refused key`).toBe(false);
    }
    return;
  }
  const before = cache.length;
  const result = attempt(() => c.set(key, value, options));
  if (!result.ok || mustFail) {
    expect(result.ok, 'an unstorable value was accepted').toBe(false);
    expect(same(c.get(key), PREVIOUS), 'a refused set changed the previous value').toBe(true);
    expect(cache.length).toBe(before);
    return;
  }
  const expire = (options as { expire?: unknown } | undefined)?.expire;
  const visible = expire === undefined || expire === null || clock.now() + (expire as number) > clock.now();
  const back = c.get(key, { tag: true }) as { value: unknown; tag: unknown };
  if (!visible) {
    expect(back.value).toBeUndefined();
    return;
  }
  expect(same(back.value, value), `round-trip of ${typeof value}`).toBe(true);
  expect(back.tag).toBe((options as { tag?: unknown } | undefined)?.tag ?? null);
}

function suite(name: string, open: (dir: string, clock: { now: () => number }) => Target): void {
  describe(`${name}: bad input`, () => {
    it('any key with storable values: round-trips (or expires exactly as asked), or a typed error', () => {
      const clock = fakeClock();
      const cache = open(tempDir(), clock);
      fc.assert(
        fc.property(anyKey, storable, storeOptions, (key, value, options) => {
          count(`${name} set/get inputs`);
          setCase(cache, clock, key, value, options, false);
        }),
        { numRuns: 600 },
      );
      expect(cache.check({ orphanAge: 0 })).toEqual([]); // no half-written spill file anywhere
      cache.close();
    });

    it('unstorable values (symbols, functions, circular, Date, NaN inside JSON, ...) are refused and leave the old value', () => {
      const clock = fakeClock();
      const cache = open(tempDir(), clock);
      fc.assert(
        fc.property(fc.string({ maxLength: 5 }), unstorable, storeOptions, (key, value, options) => {
          count(`${name} unstorable values`);
          setCase(cache, clock, key, value, options, true);
          // A bytes key: never one of the string keys setCase gave PREVIOUS.
          expect(attempt(() => (cache as unknown as Loose).add(Buffer.from(key), value)).ok).toBe(false);
          expect(cache.has(Buffer.from(key))).toBe(false);
        }),
        { numRuns: 200 },
      );
      expect(cache.check({ orphanAge: 0 })).toEqual([]);
      cache.close();
    });

    it('incr/decr/touch/pop/expire/evict with random arguments: numbers or typed errors', () => {
      const clock = fakeClock();
      const cache = open(tempDir(), clock);
      const junk = fc.oneof(
        fc.double(),
        fc.integer(),
        fc.constantFrom<unknown>(NaN, Infinity, null, undefined, '1', 1n, {}, true),
      );
      fc.assert(
        fc.property(fc.constantFrom('n', 's', 'missing'), junk, junk, (key, delta, initial) => {
          count(`${name} incr/touch/evict inputs`);
          cache.set('n', 5);
          cache.set('s', 'text');
          const c = cache as unknown as Loose;
          const r = attempt(() => c.incr(key, delta, { default: initial }));
          // A bigint delta answers a bigint (and turns the number 5 into one); everything else a number.
          if (r.ok)
            expect(typeof r.value === (typeof delta === 'bigint' ? 'bigint' : 'number') || r.value === null).toBe(true);
          else expect(cache.get('n')).toBe(5);
          attempt(() => c.touch(key, delta));
          attempt(() => c.evict(delta));
          attempt(() => c.expire(delta));
          attempt(() => c.pop(key, initial));
          cache.delete('missing');
        }),
        { numRuns: 200 },
      );
      cache.close();
    });

    it('incr/decr near and past 2^53 and with fractions: the exact answer, or CounterOverflowError and the counter unchanged', () => {
      const cache = open(tempDir(), fakeClock());
      const c = cache as unknown as Loose;
      const edge = 2 ** 53;
      const start = fc.oneof(
        fc.integer({ min: -1000, max: 1000 }).map((d) => Number.MAX_SAFE_INTEGER - 500 + d),
        fc.integer({ min: -1000, max: 1000 }).map((d) => -Number.MAX_SAFE_INTEGER + 500 + d),
        fc.constantFrom(edge, -edge, edge + 2, 2 ** 60, 1.8e16, 4503599627370497, 0, Number.MAX_VALUE),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }),
      );
      const step = fc.oneof(
        fc.integer({ min: -1000, max: 1000 }),
        fc.constantFrom(0.5, -0.5, 1e-9, 0.1, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      );
      fc.assert(
        fc.property(start, step, fc.boolean(), (value, delta, down) => {
          count(`${name} counter edges`);
          cache.set('c', value);
          const op = down ? 'decr' : 'incr';
          const r = attempt(() => c[op]('c', delta));
          const signed = down ? -(delta as number) : delta; // works for bigint too
          if (!r.ok) {
            expect(
              same(cache.get('c'), value),
              `${op} ${String(value)} ${String(delta)}: the counter changed after ${r.error.name}`,
            ).toBe(true);
            const allowed =
              typeof value === 'bigint' || typeof delta === 'bigint' ? ['INVALID_VALUE'] : ['COUNTER_OVERFLOW'];
            expect(allowed, `${op}(${String(value)}, ${String(delta)}): ${r.error.message}`).toContain(r.error.code);
            // A number counter is refused only when no exact answer exists.
            if (
              typeof value === 'number' &&
              typeof signed === 'number' &&
              Number.isInteger(value) &&
              Number.isInteger(signed)
            ) {
              expect(Number.isSafeInteger(value + signed)).toBe(false);
            }
            return;
          }
          expect(same(cache.get('c'), r.value), 'incr answered one value and stored another').toBe(true);
          if (typeof value === 'number' && typeof signed === 'number') {
            expect(typeof r.value).toBe('number');
            if (Number.isInteger(value) && Number.isInteger(signed)) {
              // Exact: checked in bigint arithmetic, which cannot round.
              expect(BigInt(r.value as number)).toBe(BigInt(value) + BigInt(signed));
            } else {
              expect(r.value).toBe(value + signed);
              if (signed !== 0) expect(r.value).not.toBe(value); // the increment never vanishes
            }
          } else {
            expect(typeof signed).toBe('bigint'); // a number delta on a bigint counter is refused
            expect(r.value).toBe(BigInt(value) + (signed as bigint));
          }
        }),
        { numRuns: 400 },
      );
      cache.close();
    });
  });
}

suite('Cache', (dir, clock) => new Cache(dir, { now: clock.now, diskMinFileSize: 256 }));
suite('FanoutCache', (dir, clock) => new FanoutCache(dir, { now: clock.now, diskMinFileSize: 256, shards: 3 }));

describe('bad options and settings', () => {
  for (const kind of ['Cache', 'FanoutCache'] as const) {
    it(`${kind}: random options open a working cache or throw a typed error before creating anything`, () => {
      const root = tempDir();
      const extra =
        kind === 'FanoutCache'
          ? fc.record(
              { shards: fc.constantFrom<unknown>(undefined, 0, -1, 1, 2, 1.5, NaN, 1000, '2') },
              { requiredKeys: [] },
            )
          : fc.constant({});
      fc.assert(
        fc.property(cacheOptions, extra, (options, more) => {
          count(`${kind} option sets`);
          const dir = mkdtempSync(join(root, 'o-'));
          const all = { ...options, ...more } as never;
          const opened = attempt(() => (kind === 'Cache' ? new Cache(dir, all) : new FanoutCache(dir, all)));
          if (!opened.ok) {
            expect(readdirSync(dir)).toEqual([]); // refused before creating anything
            return;
          }
          const cache = opened.value;
          try {
            // A working cache: a value in the row and a spilled one both round-trip.
            const big = Buffer.alloc(70_000, 3);
            const stored = attempt(() => cache.set('k', big) && cache.set('small', 'v'));
            if (stored.ok) {
              expect(cache.get('small')).toBe('v');
              const back = cache.get('k');
              // Eviction may already have dropped the big value under a tiny size limit.
              expect(back === undefined || same(back, big)).toBe(true);
            }
          } finally {
            cache.close();
          }
        }),
        { numRuns: 120 },
      );
    });
  }
});

describe('bad input: the decisions, one example each', () => {
  it('unpaired surrogates: refused as keys, tags and queue prefixes (InvalidKeyError/InvalidOptionError); round-trip as values, in the row, spilled and inside JSON', () => {
    const cache = new Cache(tempDir(), { diskMinFileSize: 64 });
    try {
      expect(() => cache.set('\uD800', 1)).toThrow(InvalidKeyError);
      expect(() => cache.get('a\uDC00')).toThrow(InvalidKeyError);
      expect(() => cache.set('k', 1, { tag: '\uDFFF' })).toThrow(InvalidOptionError);
      expect(() => cache.push(1, { prefix: 'q\uD800' })).toThrow(InvalidOptionError);
      for (const value of ['\uD800', `x\uDBFFy${'z'.repeat(100)}`, ['\uDC00'], { '\uD800': '\uDFFF' }]) {
        cache.set('v', value as never);
        expect(cache.get('v')).toEqual(value);
      }
      expect([...cache.keys()]).toEqual(['v']);
    } finally {
      cache.close();
    }
  });

  it("diskcache's positional expire, set(key, value, 60), is an InvalidOptionError, not a value that never expires", () => {
    const cache = new Cache(tempDir());
    try {
      expect(() => cache.set('k', 1, 60 as never)).toThrow(/options object such as \{ expire: 60 \}/);
      expect(() => cache.add('k', 1, 'soon' as never)).toThrow(InvalidOptionError);
      expect(cache.has('k')).toBe(false);
      expect(cache.set('k', 1, null as never)).toBe(true); // null means no options, as undefined does
      expect(cache.incr('n', 1, null as never)).toBe(1);
      expect(cache.pop('n', null as never)).toBe(1);
    } finally {
      cache.close();
    }
  });

  it('a disk option that is not a class, a huge expire, negative limits: typed errors or exact behaviour', () => {
    const dir = tempDir();
    for (const disk of [() => 1, {}, 'Disk']) expect(() => new Cache(dir, { disk: disk as never })).toThrow(CacheError);
    for (const bad of [
      { sizeLimit: -1 },
      { cullLimit: -5 },
      { timeout: -1 },
      { sqlitePageSize: 1000 },
      { diskMinFileSize: -1 },
    ]) {
      expect(() => new Cache(dir, bad)).toThrow(InvalidOptionError);
    }
    const clock = fakeClock();
    const cache = new Cache(dir, { now: clock.now });
    try {
      cache.set('forever', 1, { expire: Number.MAX_VALUE });
      cache.set('inf', 2, { expire: Infinity });
      cache.set('past', 3, { expire: -Infinity });
      clock.advance(1e300);
      expect([cache.get('forever'), cache.get('inf'), cache.get('past')]).toEqual([1, 2, undefined]);
      expect(cache.get('inf', { expireTime: true }).expireTime).toBe(Infinity);
    } finally {
      cache.close();
    }
  });
});
