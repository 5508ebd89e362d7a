import { type Disk, type Key, type SqlValue } from './disk.js';

/**
 * The shard of a key: FNV-1a 32-bit over the key's SERIALISED form, taken
 * modulo the shard count. The bytes hashed are
 *
 *   one byte  the key's kind as the Disk stores it (KIND: 0 string, 1 number, 2 bigint, 3 bytes)
 *   then      string → its UTF-8 bytes
 *             number → the IEEE-754 float64, big-endian (-0 is folded into 0 first, as the Disk does)
 *             bigint → the decimal digits (the Disk's TEXT form), UTF-8
 *             bytes  → the bytes as they are
 *
 * FNV-1a 32: h = 0x811c9dc5; for each byte b: h = (h XOR b) × 0x01000193 mod 2^32.
 * It is defined on bytes only, so the same key lands in the same shard on
 * every platform, process and Node version. The kind byte keeps 1, 1n and '1'
 * apart as the cache does (they may or may not share a shard; either is fine).
 * FNV is not collision-resistant, which does not matter here: a collision only
 * puts two keys in the same shard. Changing this function moves keys between
 * shards: HASH_NAME is stored in the directory so a change is detected.
 */
export const HASH_NAME = 'fnv1a32-kind-v1';

const OFFSET = 0x811c9dc5;
const PRIME = 0x01000193;

function step(h: number, byte: number): number {
  return Math.imul(h ^ byte, PRIME);
}

/** FNV-1a 32 of a string's UTF-8 bytes, continuing from `h`, without allocating for ASCII. */
function hashString(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return hashBytes(h, Buffer.from(text.slice(i), 'utf8'));
    h = step(h, c);
  }
  return h;
}

function hashBytes(h: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) h = step(h, bytes[i]!);
  return h;
}

/** Plain FNV-1a 32 of some bytes (for checking the implementation against published vectors). */
export function fnv1a32(bytes: Uint8Array): number {
  return hashBytes(OFFSET, bytes) >>> 0;
}

const FLOAT = new DataView(new ArrayBuffer(8));

/** The 32-bit unsigned hash of a key in the Disk's encoding (kind tag + database form). */
export function keyHash(kind: number, dbKey: SqlValue): number {
  let h = step(OFFSET, kind);
  if (typeof dbKey === 'number') {
    FLOAT.setFloat64(0, dbKey === 0 ? 0 : dbKey, false);
    for (let i = 0; i < 8; i++) h = step(h, FLOAT.getUint8(i));
  } else if (typeof dbKey === 'string') {
    h = hashString(h, dbKey);
  } else if (dbKey instanceof Uint8Array) {
    h = hashBytes(h, dbKey);
  }
  return h >>> 0;
}

/** Shard index in 0..shards-1 of a key, using the Disk's key encoding. */
export function shardOf(disk: Disk, key: Key, shards: number): number {
  const kind = disk.keyKind(key);
  return keyHash(kind, disk.keyValue(key, kind)) % shards;
}
