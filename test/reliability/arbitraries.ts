import fc from 'fast-check';

/**
 * Hostile inputs for the bad-input suite: everything a caller could pass,
 * typed `unknown` on purpose — the point is to go around the TypeScript types
 * the way plain JavaScript callers do.
 */

class Point {
  constructor(readonly x: number) {}
}

function circular(): unknown {
  const a: Record<string, unknown> = { name: 'loop' };
  a.self = a;
  return a;
}

function deepCircular(): unknown {
  const list: unknown[] = [1, 2];
  list.push({ inner: [list] });
  return list;
}

const LONE = ['\uD800', '\uDBFF', '\uDC00', '\uDFFF'];

/** Strings with an unpaired surrogate half somewhere (invalid UTF-16). */
export const loneSurrogateString = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...LONE), fc.string({ maxLength: 10 }))
  .map(([a, s, b]) => a + s + b);

/** Values the cache cannot represent exactly: each must be refused with a typed error. */
export const unstorable: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    undefined,
    Symbol('s'),
    () => 1,
    function named() {},
    new Date(0),
    new Map([[1, 2]]),
    new Set([1]),
    new Point(1),
    new Int16Array(3),
    new ArrayBuffer(4),
    new DataView(new ArrayBuffer(2)),
    /re/,
    new Error('e'),
    Promise.resolve(1),
    new WeakMap(),
    { toJSON: () => 'sneaky' },
  ),
  fc.constant(null).map(circular),
  fc.constant(null).map(deepCircular),
  // Non-JSON numbers and undefined nested inside otherwise plain data.
  fc.constantFrom(NaN, Infinity, -Infinity, -0).map((n) => ({ nested: [1, { n }] })),
  fc.constantFrom<unknown>(undefined, () => 0, Symbol('x'), 10n, new Date(0)).map((v) => ({ deep: { deeper: [v] } })),
  // eslint-disable-next-line no-sparse-arrays -- a sparse array on purpose: it comes back with null in the hole
  fc.constant(null).map(() => [1, , 3]),
);

/** Values that must round-trip exactly (type included). */
export const storable: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  loneSurrogateString,
  fc.constantFrom(NaN, -0, 0, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2),
  fc.double(),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
  fc.boolean(),
  fc.constant(null),
  fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)),
  fc.json({ maxDepth: 3 }).map((t) => JSON.parse(t) as unknown),
  fc.array(loneSurrogateString, { maxLength: 3 }),
  fc.constant(null).map(() => JSON.parse('{"__proto__":{"x":1},"constructor":"c"}') as unknown),
  fc.integer({ min: 1, max: 3 }).map((n) => 's'.repeat(400 * n)), // spilled with a low threshold
);

/** Keys: valid ones (including -0, huge numbers, bytes) and invalid ones. */
export const anyKey: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  loneSurrogateString,
  fc.double(),
  fc.constantFrom(NaN, -0, 0, Infinity, -Infinity),
  fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }),
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom('k'.repeat(100_000), Buffer.alloc(100_000, 1)), // oversized keys
  fc.constantFrom<unknown>(
    undefined,
    null,
    true,
    Symbol('k'),
    () => 1,
    {},
    [],
    [1],
    new Date(0),
    new Int8Array(2),
    circular(),
  ),
);

/** set/add options, sane and otherwise. */
export const storeOptions: fc.Arbitrary<unknown> = fc.option(
  fc.record(
    {
      expire: fc.oneof(
        fc.double(),
        fc.constantFrom<unknown>(
          1e308,
          -1e308,
          Number.MAX_VALUE,
          Infinity,
          -Infinity,
          NaN,
          -0,
          1e-300,
          null,
          undefined,
          '10',
          10n,
          {},
        ),
      ),
      tag: fc.oneof(
        fc.string({ maxLength: 8 }),
        loneSurrogateString,
        fc.constantFrom<unknown>(null, undefined, 1, true, {}, Symbol('t')),
      ),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

/** Options for `new Cache(dir, options)`: random names, values and types. */
export const cacheOptions: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom(
    'sizeLimit',
    'cullLimit',
    'evictionPolicy',
    'statistics',
    'tagIndex',
    'diskMinFileSize',
    'sqliteJournalMode',
    'sqliteSynchronous',
    'sqliteMmapSize',
    'sqliteCacheSize',
    'sqliteAutoVacuum',
    'sqlitePageSize',
    'timeout',
    'fileMode',
    'dirMode',
    'now',
    'disk',
    'sizelimit',
    'size_limit',
    'constructor',
    '__proto__',
    'toString',
  ),
  fc.oneof(
    fc.integer({ min: -10, max: 70_000 }),
    fc.constantFrom<unknown>(
      -1,
      0,
      1,
      0.5,
      -0,
      NaN,
      Infinity,
      -Infinity,
      2 ** 53,
      2 ** 31,
      4096,
      512,
      1000,
      0o600,
      0o700,
      0o7777,
      0o10000,
    ),
    fc.constantFrom<unknown>(
      'wal',
      'delete',
      'off',
      'memory',
      'full',
      'normal',
      'none',
      'least-recently-used',
      'least-frequently-used',
      'bogus',
      '',
      'WAL',
    ),
    fc.constantFrom<unknown>(true, false, null, undefined, {}, [], () => 1000, Symbol('o'), 10n),
  ),
  { maxKeys: 4 },
);
