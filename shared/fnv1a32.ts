/**
 * FNV-1a 32-bit: h = 0x811c9dc5; for each byte b: h = (h XOR b) × 0x01000193 mod 2^32.
 * Cheap and stable across platforms, for seeding and spreading (not for security).
 * The engine's shard hash (engine/shard-hash.ts) is the same function over a key's
 * serialised form; test/shared/fnv1a32.test.ts checks the two agree.
 */
const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;

/** FNV-1a 32 of some bytes, as an unsigned integer. */
export function fnv1a32(bytes: Uint8Array): number {
  let h = OFFSET;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, PRIME);
  return h >>> 0;
}

/** FNV-1a 32 of a string's UTF-8 bytes. */
export function fnv1a32Text(text: string): number {
  return fnv1a32(Buffer.from(text, 'utf8'));
}

const word = new Uint8Array(4);
const wordView = new DataView(word.buffer);

/**
 * FNV-1a 32 over the four little-endian bytes of a 32-bit integer (the
 * crawler's link graph). One reused 4-byte buffer: no allocation per call.
 */
export function fnv1a32Uint32(value: number): number {
  wordView.setUint32(0, value >>> 0, true);
  return fnv1a32(word);
}
