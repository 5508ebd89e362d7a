/**
 * YCSB's `Utils.fnvhash64`: 64-bit FNV-1a (XOR an octet, then multiply by the FNV prime)
 * over the eight little-endian bytes of a Java `long`, returned as `Math.abs` of the signed
 * result. YCSB scrambles zipfian ranks and names hashed keys with it.
 *
 * The state is kept as two unsigned 32-bit halves instead of a BigInt: the scrambled zipfian
 * hashes once or more per operation, and the FNV prime 2^40 + 0x1b3 splits into a shift and a
 * small multiply that stay exact in doubles. Measured on a busy 2-core machine (Node 20, 2·10^6
 * calls): `fnvhash64Mod` ~130 ns, the same loop on BigInt with `BigInt.asUintN` ~320–420 ns.
 */

const FNV_PRIME_LOW = 0x1b3; // FNV prime 64 = 2^40 + 0x1b3
const TWO_32 = 0x1_0000_0000;

// The last hash, as Math.abs of the signed 64-bit value: `high` holds bits 32..63, `low` bits 0..31.
let high = 0;
let low = 0;

/** Hashes `value` (an integer in [0, 2^53)) into `high`/`low`. */
function hash(value: number): void {
  let h = 0xcbf29ce4;
  let l = 0x84222325;
  // The long's low word, then its high word, each one byte at a time from the least significant.
  for (let half = 0, word = value >>> 0; half < 2; half++, word = Math.floor(value / TWO_32)) {
    for (let i = 0; i < 4; i++, word >>>= 8) {
      l = (l ^ (word & 0xff)) >>> 0;
      // (h·2^32 + l) × (2^40 + 0x1b3) mod 2^64: l × 0x1b3 < 2^41 is exact and its carry (< 2^9)
      // joins the high half; l × 2^40 adds l's low 24 bits, shifted by 8, to the high half.
      const product = l * FNV_PRIME_LOW;
      h = (Math.imul(h, FNV_PRIME_LOW) + ((product / TWO_32) >>> 0) + (l << 8)) >>> 0;
      l = product >>> 0;
    }
  }
  // Java's Math.abs of a negative long: the two's complement. Long.MIN_VALUE stays itself.
  if (h >= 0x8000_0000) {
    l = (~l + 1) >>> 0;
    h = (~h + (l === 0 ? 1 : 0)) >>> 0;
  }
  high = h;
  low = l;
}

function checkInput(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`fnvhash64 takes an integer in [0, 2^53), got ${value}`);
}

/** `Utils.fnvhash64(value)` as a BigInt (for tests and anything off the hot path). */
export function fnvhash64(value: number): bigint {
  checkInput(value);
  hash(value);
  const unsigned = (BigInt(high) << 32n) | BigInt(low);
  return BigInt.asIntN(64, unsigned);
}

/**
 * `Utils.fnvhash64(value) % modulus` as Java computes it, for a modulus in [1, 2^31]. The only
 * negative hash, Long.MIN_VALUE (Math.abs leaves it negative), gives Java's negative remainder.
 */
export function fnvhash64Mod(value: number, modulus: number): number {
  hash(value);
  // Horner over 16-bit digits: remainder × 65,536 stays below 2^47, exact in a double.
  let r = (high >>> 16) % modulus;
  r = (r * 65536 + (high & 0xffff)) % modulus;
  r = (r * 65536 + (low >>> 16)) % modulus;
  r = (r * 65536 + (low & 0xffff)) % modulus;
  return high === 0x8000_0000 && low === 0 && r !== 0 ? r - modulus : r;
}

/**
 * `Long.toString(Utils.fnvhash64(value))`: the decimal text YCSB puts after `user` in a hashed
 * key. Through BigInt, which measured faster here than decimal long division on doubles
 * (~400 ns against ~700 ns); callers cache the names they reuse (key-namer.ts).
 */
export function fnvhash64Decimal(value: number): string {
  return fnvhash64(value).toString();
}
