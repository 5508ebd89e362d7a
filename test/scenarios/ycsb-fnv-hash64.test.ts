/**
 * YCSB's Utils.fnvhash64 and hashed key names, against the values YCSB's own code printed
 * (fixtures/ycsb/generate.sh) and against the hash's definition written out on BigInt.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createKeyNamer } from '../../scenarios/key-namer.js';
import { getScenario } from '../../scenarios/registry.js';
import { preloadEntries } from '../../scenarios/workload.js';
import { fnvhash64, fnvhash64Decimal, fnvhash64Mod } from '../../scenarios/ycsb/fnv-hash64.js';
import fixture from './fixtures/ycsb/ycsb-generators.json' with { type: 'json' };

/** FNV-1a 64 over the 8 little-endian bytes, then Java's Math.abs, straight from the definition. */
function reference(value: number): bigint {
  let hash = 0xcbf29ce484222325n;
  let rest = BigInt(value);
  for (let i = 0; i < 8; i++) {
    hash = BigInt.asUintN(64, (hash ^ (rest & 0xffn)) * 0x100000001b3n);
    rest >>= 8n;
  }
  const signed = BigInt.asIntN(64, hash);
  return signed < 0n && signed !== -(2n ** 63n) ? -signed : signed;
}

describe("fnvhash64 is YCSB's Utils.fnvhash64", () => {
  it('equals the values YCSB printed, exactly', () => {
    expect(fixture.fnvhash64.length).toBeGreaterThan(200);
    for (const [input, output] of fixture.fnvhash64) {
      expect(fnvhash64(Number(input)).toString(), `fnvhash64(${input})`).toBe(output);
      expect(fnvhash64Decimal(Number(input))).toBe(output);
    }
  });

  it('takes the remainder as Java does, for any input and modulus', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (value, modulus) => {
          expect(fnvhash64(value)).toBe(reference(value));
          expect(fnvhash64Mod(value, modulus)).toBe(Number(reference(value) % BigInt(modulus)));
        },
      ),
    );
  });
});

describe("hashed key names are YCSB's (insertorder=hashed)", () => {
  it('names record n user + fnvhash64(n), as CoreWorkload.buildKeyName', () => {
    const name = createKeyNamer({ count: 1_000, prefix: 'user', order: 'hashed', distribution: { kind: 'uniform' } });
    expect(fixture.keyNames).toHaveLength(1_100);
    fixture.keyNames.forEach((expected, n) => expect(name(n)).toBe(expected));
  });

  it("ycsb-a preloads exactly YCSB's 1,000 record keys", () => {
    const keys = [...preloadEntries(getScenario('ycsb-a'), 1)].map(([key]) => key);
    expect(keys).toEqual(fixture.keyNames.slice(0, 1_000));
  });
});
