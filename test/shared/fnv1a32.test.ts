import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a32 as engineFnv1a32 } from '../../engine/shard-hash.js';
import { fnv1a32 as bytesHash, fnv1a32Text, fnv1a32Uint32 as fnv1a32 } from '../../shared/fnv1a32.js';

/** FNV-1a 32 written out from its definition over the integer's 4 little-endian bytes. */
function reference(value: number): number {
  let h = 0x811c9dc5;
  for (let shift = 0; shift < 32; shift += 8) h = Math.imul(h ^ ((value >>> shift) & 0xff), 0x01000193);
  return h >>> 0;
}

describe('FNV-1a 32 (shared/fnv1a32.ts)', () => {
  it('matches the definition for any integer (seeded key sequences stay the same)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.integer({ min: 0, max: 2 ** 40 })),
        (value) => fnv1a32(value) === reference(value),
      ),
    );
  });

  it("is the engine's exported fnv1a32 on the little-endian bytes", () => {
    fc.assert(
      fc.property(fc.nat(), (value) => {
        const bytes = new Uint8Array(new Uint32Array([value >>> 0]).buffer);
        return fnv1a32(value) === engineFnv1a32(bytes);
      }),
    );
    // Published FNV-1a 32 vector: "a" → 0xe40c292c; as the integer 0x61 its other three bytes are zeros.
    expect(engineFnv1a32(new TextEncoder().encode('a'))).toBe(0xe40c292c);
  });

  it('gives the published FNV-1a 32 vectors for bytes and text', () => {
    expect(bytesHash(new Uint8Array())).toBe(0x811c9dc5);
    expect(fnv1a32Text('a')).toBe(0xe40c292c);
    expect(fnv1a32Text('foobar')).toBe(0xbf9cf968);
  });

  it("is the engine's own copy on any bytes (the two must not drift apart)", () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => bytesHash(bytes) === engineFnv1a32(bytes)));
  });
});
