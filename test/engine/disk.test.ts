import { describe, expect, it } from 'vitest';
import { InvalidKeyError, InvalidValueError } from '../../engine/index.js';
import { openCache } from './helpers.js';

describe('keys', () => {
  it('keeps 1, 1n, "1" and a one-byte buffer apart', () => {
    const cache = openCache();
    cache.set(1, 'number');
    cache.set(1n, 'bigint');
    cache.set('1', 'string');
    cache.set(Buffer.from('1'), 'bytes');
    expect(cache.get(1)).toBe('number');
    expect(cache.get(1n)).toBe('bigint');
    expect(cache.get('1')).toBe('string');
    expect(cache.get(new Uint8Array([0x31]))).toBe('bytes');
    expect(cache.length).toBe(4);
    const keys = [...cache.keys()];
    expect(keys).toEqual([1, 1n, '1', Buffer.from('1')]);
  });

  it('handles huge bigints, floats, -0 (same key as 0) and Infinity', () => {
    const cache = openCache();
    const huge = 2n ** 100n;
    cache.set(huge, 'h');
    cache.set(1.5, 'f');
    cache.set(-0, 'zero');
    cache.set(Infinity, 'inf');
    expect(cache.get(huge)).toBe('h');
    expect(cache.get(2n ** 100n + 1n)).toBeUndefined();
    expect(cache.get(1.5)).toBe('f');
    expect(cache.get(0)).toBe('zero');
    expect(cache.get(Infinity)).toBe('inf');
  });

  it('rejects unsupported keys naming the type', () => {
    const cache = openCache();
    expect(() => cache.set({} as never, 1)).toThrow(/object Object/);
    expect(() => cache.get(true as never)).toThrow(InvalidKeyError);
    expect(() => cache.get(NaN)).toThrow(/NaN/);
    expect(() => cache.set(null as never, 1)).toThrow(/null/);
  });
});

describe('values', () => {
  const samples: [string, unknown][] = [
    ['empty string', ''],
    ['unicode', 'héllo ✓ 🚀'],
    ['integer', 42],
    ['float', 3.25],
    ['negative zero', -0],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['bigint', -(2n ** 80n)],
    ['true', true],
    ['false', false],
    ['null', null],
    ['bytes', Buffer.from([0, 1, 2, 255])],
    ['array', [1, 'a', null, [true]]],
    ['object', { a: { b: [1, 2] }, c: 'x' }],
    ['number-like string', '42'],
  ];
  for (const [name, value] of samples) {
    it(`round-trips ${name} as the same type`, () => {
      const cache = openCache();
      cache.set('k', value as never);
      const back = cache.get('k');
      expect(typeof back).toBe(typeof value);
      expect(Object.is(back, value) || JSON.stringify(back) === JSON.stringify(value)).toBe(true);
      if (Buffer.isBuffer(value)) expect(Buffer.compare(back as Buffer, value)).toBe(0);
    });
  }

  it('returns a Uint8Array value as bytes (a Buffer)', () => {
    const cache = openCache();
    cache.set('u', new Uint8Array([5, 6]));
    const back = cache.get('u');
    expect(back).toBeInstanceOf(Uint8Array);
    expect([...(back as Uint8Array)]).toEqual([5, 6]);
  });

  it('refuses values that would come back as another type', () => {
    const cache = openCache();
    expect(() => cache.set('k', new Date() as never)).toThrow(/Date/);
    expect(() => cache.set('k', new Map() as never)).toThrow(/Map/);
    expect(() => cache.set('k', undefined as never)).toThrow(InvalidValueError);
    expect(() => cache.set('k', (() => 1) as never)).toThrow(/function/);
    expect(() => cache.set('k', { a: undefined } as never)).toThrow(/undefined/);
    expect(() => cache.set('k', [NaN] as never)).toThrow(/NaN inside JSON/);
    expect(() => cache.set('k', { z: -0 })).toThrow(/-0/);
    expect(() => cache.set('k', { n: 1n } as never)).toThrow(/bigint/);
    expect(cache.has('k')).toBe(false);
  });
});
