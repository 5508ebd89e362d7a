import { describe, expect, it } from 'vitest';
import { stableJson } from '../../compare/check-inputs.js';
import { cellSeed } from '../../compare/compare.js';
import { fnv1a32 } from '../../shared/fnv1a32.js';

describe('stableJson: the one "same configuration" text', () => {
  it('ignores key order at every depth, keeps array order', () => {
    expect(stableJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(stableJson({ a: { c: null, d: [2, 1] }, b: 1 }));
    expect(stableJson({ a: [1, 2] })).not.toBe(stableJson({ a: [2, 1] }));
  });

  it('sorts by code unit, not by locale, and tells a missing value from null', () => {
    expect(stableJson({ b: 1, B: 2, a: 3 })).toBe('{"B":2,"a":3,"b":1}');
    expect(stableJson({ a: undefined })).toBe('{}');
    expect(stableJson({ a: null })).toBe('{"a":null}');
    expect(stableJson(undefined)).toBe('undefined');
  });
});

describe('compare cell seeds use the engine hash', () => {
  it('is seed XOR fnv1a32 of the cell name in UTF-8, unsigned', () => {
    const name = Buffer.from('fanout:shards=8\u0000set\u0000p99', 'utf8');
    expect(cellSeed(7, 'fanout:shards=8', 'set', 'p99')).toBe((7 ^ fnv1a32(name)) >>> 0);
    expect(cellSeed(7, 'sqlite', 'get', 'p99')).not.toBe(cellSeed(7, 'sqlite', 'set', 'p99'));
    expect(cellSeed(7, 'sqlité', 'get', 'p99')).toBeGreaterThanOrEqual(0);
  });
});
