import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openCache } from './helpers.js';

describe('round-trip properties', () => {
  it('any JSON data, string, bytes, number or bigint comes back equal and of the same type', () => {
    const cache = openCache({ diskMinFileSize: 256 }); // small threshold: some values take the spill-file path
    const value = fc.oneof(
      fc.json().map((text) => JSON.parse(text) as unknown),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.uint8Array({ maxLength: 400 }).map((bytes) => Buffer.from(bytes)),
      fc.double(),
      fc.bigInt(),
    );
    fc.assert(
      fc.property(fc.string(), value, (key, v) => {
        cache.set(key, v as never);
        const back = cache.get(key);
        if (typeof v === 'number') return Object.is(back, v);
        expect(typeof back).toBe(typeof v);
        expect(back).toEqual(v);
        return true;
      }),
      { numRuns: 300 },
    );
  });

  it('keys of different types never collide', () => {
    const cache = openCache();
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), (n) => {
        cache.set(n, 'number');
        cache.set(BigInt(n), 'bigint');
        cache.set(String(n), 'string');
        cache.set(Buffer.from(String(n)), 'bytes');
        return (
          cache.get(n) === 'number' &&
          cache.get(BigInt(n)) === 'bigint' &&
          cache.get(String(n)) === 'string' &&
          cache.get(Buffer.from(String(n))) === 'bytes'
        );
      }),
      { numRuns: 100 },
    );
  });
});
