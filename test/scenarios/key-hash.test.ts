import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a32 as engineFnv1a32 } from '../../engine/index.js';
import { fnv1a32 } from '../../scenarios/key-chooser.js';

/** FNV-1a 32 written out from its definition over the integer's 4 little-endian bytes. */
function reference(value: number): number {
  let h = 0x811c9dc5;
  for (let shift = 0; shift < 32; shift += 8) h = Math.imul(h ^ ((value >>> shift) & 0xff), 0x01000193);
  return h >>> 0;
}

describe('the scenario key hash is the engine\'s FNV-1a 32 over the integer\'s bytes', () => {
  it('matches the definition for any integer (seeded key sequences stay the same)', () => {
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.integer({ min: 0, max: 2 ** 40 })), (value) => fnv1a32(value) === reference(value)));
  });

  it('is the engine\'s exported fnv1a32 on the little-endian bytes', () => {
    fc.assert(fc.property(fc.nat(), (value) => {
      const bytes = new Uint8Array(new Uint32Array([value >>> 0]).buffer);
      return fnv1a32(value) === engineFnv1a32(bytes);
    }));
    // Published FNV-1a 32 vector: "a" → 0xe40c292c; as the integer 0x61 its other three bytes are zeros.
    expect(engineFnv1a32(new TextEncoder().encode('a'))).toBe(0xe40c292c);
  });
});
