import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBytes as engineParseBytes } from '../../engine/units.js';
import { BYTE_UNITS, parseByteSize } from '../../shared/byte-size.js';

describe('byte sizes (shared/byte-size.ts): one unit table', () => {
  it('reads binary K/M/G/T and KiB…, decimal KB…, any case, with or without a space', () => {
    expect(parseByteSize('4096')).toBe(4096);
    expect(parseByteSize('64M')).toBe(64 * 2 ** 20);
    expect(parseByteSize('64MiB')).toBe(64 * 2 ** 20);
    expect(parseByteSize('64mb')).toBe(64_000_000);
    expect(parseByteSize('1.5 GiB')).toBe(1.5 * 2 ** 30);
    expect(parseByteSize('2t')).toBe(2 * 2 ** 40);
    expect(parseByteSize('0')).toBe(0);
  });

  it('refuses what is not a size: no number, an unknown unit, a sign', () => {
    for (const text of ['', 'MiB', '64X', '64 megs', '-1', '+5', '1,5M'])
      expect(parseByteSize(text), text).toBeUndefined();
  });

  it("agrees with the engine's own copy on every unit (the two must not drift apart)", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 100_000 }),
        fc.constantFrom(...Object.keys(BYTE_UNITS)),
        fc.boolean(),
        (n, unit, upper) => {
          const text = `${n}${upper ? unit.toUpperCase() : unit}`;
          return parseByteSize(text) === engineParseBytes(text);
        },
      ),
    );
  });
});
