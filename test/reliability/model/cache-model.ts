import type { EvictionPolicyName, Key } from '../../../engine/index.js';

/**
 * A plain in-memory model of the cache's documented semantics, on a clock the
 * test controls. Rows stay in the model after they expire, as in cache.db,
 * until something removes them (expire, cull, the cull on each write, pop,
 * delete), so `length` and the counts returned by expire/evict/clear/cull are
 * exact. The rules, each from docs/engine.md:
 * - a row is live while expireTime is null or > now;
 * - set, an add that stores, and an incr that inserts or revives a row then remove every
 *   expired row (key spaces here stay under cullLimit, or have no expiry), per
 *   shard; then, while the shard's volume() ≥ sizeLimit, up to cullLimit rows
 *   in policy order, never the row just written;
 * - volume() is pages in use × page size plus spill-file bytes; the few rows
 *   here fit each table's and index's root page, so the pages part stays the
 *   empty cache's (measured at open) and the rest is exact: the byte length of
 *   each value at or over diskMinFileSize, as Disk stores it;
 * - policy order: least-recently-stored by store time, least-recently-used by
 *   access time (a get that hits sets it), least-frequently-used by access
 *   count (a get that hits adds 1; a write starts it at 0); ties in rowid
 *   (= insertion) order, as every SQLite index ends with the rowid;
 * - cull() removes every expired row, then batches of max(cullLimit, 10) rows
 *   in policy order while the shard's volume() ≥ sizeLimit;
 * - updates keep the row's place in keys() order, inserts go last;
 * - incr of a live non-number is an error; of a live number it refreshes the
 *   store time and the policy's bookkeeping as a hit does (as diskcache's
 *   incr); of a missing or expired key, 0 + delta with no expiry or tag.
 */
export interface Row {
  key: Key;
  value: unknown;
  expireTime: number | null;
  tag: string | null;
  /** Insertion order, as the rowid orders rows: an update keeps it. */
  seq: number;
  storeTime: number;
  accessTime: number;
  accessCount: number;
  /** Spill-file bytes (0 for a value kept in the row). */
  size: number;
}

/** The settings culling depends on, and the volume of an empty shard. */
export interface Limits {
  policy: EvictionPolicyName;
  cullLimit: number;
  /** Per shard, as FanoutCache splits it. */
  sizeLimit: number;
  diskMinFileSize: number;
  /** volume() of one empty shard: its pages in use × page size. */
  emptyVolume: number;
  shards: number;
}

/** Deliberate mistakes for the test that shows a wrong model is caught and shrunk. */
export type ModelBug = 'none' | 'no-cull-on-write' | 'update-moves-last' | 'reads-not-counted' | 'spares-nothing';

export class CacheModel {
  rows = new Map<string, Row>();
  seq = 0;
  /** Rows writes removed by policy (not expiry): shows a run really went over the limit. */
  evicted = 0;

  constructor(
    public now: number,
    /** The shard a key lives in (always 0 for Cache), from the real FanoutCache's hash. */
    readonly shardOf: (key: Key) => number,
    readonly limits: Limits,
    readonly bug: ModelBug = 'none',
  ) {}

  static id(key: Key): string {
    if (typeof key === 'number') return `n:${key === 0 ? 0 : key}`; // -0 and 0 are one key
    if (typeof key === 'bigint') return `b:${key}`;
    if (typeof key === 'string') return `s:${key}`;
    return `x:${Buffer.from(key).toString('hex')}`;
  }

  live(row: Row | undefined): row is Row {
    return row !== undefined && (row.expireTime === null || row.expireTime > this.now);
  }

  row(key: Key): Row | undefined {
    return this.rows.get(CacheModel.id(key));
  }

  liveValue(key: Key): unknown {
    const row = this.row(key);
    return this.live(row) ? row.value : undefined;
  }

  expireTime(expire: number | null | undefined): number | null {
    return expire === undefined || expire === null ? null : this.now + expire;
  }

  /** Insert or update in place (an update keeps its keys() position). */
  write(key: Key, value: unknown, expireTime: number | null, tag: string | null): void {
    const id = CacheModel.id(key);
    const old = this.rows.get(id);
    const seq = old === undefined || this.bug === 'update-moves-last' ? this.seq++ : old.seq;
    const size = spillBytes(value, this.limits.diskMinFileSize);
    this.rows.set(id, {
      key,
      value,
      expireTime,
      tag,
      seq,
      storeTime: this.now,
      accessTime: this.now,
      accessCount: 0,
      size,
    });
  }

  /** The cull every storing write runs, in the written key's shard: expired rows, then by policy while over the limit. */
  cullAfterWrite(key: Key): void {
    if (this.bug === 'no-cull-on-write') return;
    const shard = this.shardOf(key);
    const expired = this.inShard(shard).filter((row): boolean => !this.live(row));
    // The real cull takes up to cullLimit expired rows in an order the model does not claim to know.
    if (expired.length > this.limits.cullLimit)
      throw new Error('model: more expired rows than cullLimit; keep the key space smaller');
    for (const row of expired) this.rows.delete(CacheModel.id(row.key));
    if (this.limits.policy === 'none' || this.volume(shard) < this.limits.sizeLimit) return;
    const keep = this.bug === 'spares-nothing' ? undefined : CacheModel.id(key);
    const victims = this.policyOrder(shard)
      .filter((row) => CacheModel.id(row.key) !== keep)
      .slice(0, this.limits.cullLimit);
    for (const row of victims) this.rows.delete(CacheModel.id(row.key));
    this.evicted += victims.length;
  }

  /** cull(): every expired row, then policy batches while a shard is at or over its limit; rows removed. */
  cull(): number {
    let removed = this.removeWhere((row) => !this.live(row));
    if (this.limits.policy === 'none') return removed;
    for (let shard = 0; shard < this.limits.shards; shard++) {
      while (this.volume(shard) >= this.limits.sizeLimit) {
        const batch = this.policyOrder(shard).slice(0, Math.max(this.limits.cullLimit, 10));
        if (batch.length === 0) break;
        for (const row of batch) this.rows.delete(CacheModel.id(row.key));
        removed += batch.length;
      }
    }
    return removed;
  }

  /** A get that hits: the bookkeeping of least-recently-used and least-frequently-used. */
  read(key: Key): void {
    const row = this.row(key);
    if (!this.live(row) || this.bug === 'reads-not-counted') return;
    if (this.limits.policy === 'least-recently-used') row.accessTime = this.now;
    if (this.limits.policy === 'least-frequently-used') row.accessCount++;
  }

  /** volume() of one shard, or of all shards without one. */
  volume(shard?: number): number {
    const rows = shard === undefined ? [...this.rows.values()] : this.inShard(shard);
    const shards = shard === undefined ? this.limits.shards : 1;
    return shards * this.limits.emptyVolume + rows.reduce((sum, row) => sum + row.size, 0);
  }

  private inShard(shard: number): Row[] {
    return [...this.rows.values()].filter((row) => this.shardOf(row.key) === shard);
  }

  /** A shard's rows in the order its policy evicts them. */
  private policyOrder(shard: number): Row[] {
    const rank = (row: Row): number => {
      switch (this.limits.policy) {
        case 'least-recently-used':
          return row.accessTime;
        case 'least-frequently-used':
          return row.accessCount;
        default:
          return row.storeTime;
      }
    };
    return this.inShard(shard).sort((a, b) => rank(a) - rank(b) || a.seq - b.seq);
  }

  /** Removes the rows matching `test`; returns how many (expired ones included). */
  removeWhere(test: (row: Row) => boolean): number {
    let removed = 0;
    for (const [id, row] of this.rows) {
      if (test(row)) {
        this.rows.delete(id);
        removed++;
      }
    }
    return removed;
  }

  set(key: Key, value: unknown, expire: number | null | undefined, tag: string | null): void {
    this.write(key, value, this.expireTime(expire), tag);
    this.cullAfterWrite(key);
  }

  add(key: Key, value: unknown, expire: number | null | undefined): boolean {
    if (this.live(this.row(key))) return false;
    this.set(key, value, expire, null);
    return true;
  }

  /** The new number, or 'error' for a live value that is not a number. */
  incr(key: Key, delta: number): number | 'error' {
    const row = this.row(key);
    if (this.live(row)) {
      // NaN has its own storage mode, and incr takes only the plain number mode.
      if (typeof row.value !== 'number' || Number.isNaN(row.value)) return 'error';
      const next = row.value + delta;
      row.value = next; // in place: size and place in keys() order stay
      row.storeTime = this.now;
      if (this.limits.policy === 'least-recently-used') row.accessTime = this.now;
      if (this.limits.policy === 'least-frequently-used') row.accessCount++;
      return next;
    }
    this.write(key, delta, null, null);
    this.cullAfterWrite(key);
    return delta;
  }

  remove(key: Key): Row | undefined {
    const id = CacheModel.id(key);
    const row = this.rows.get(id);
    this.rows.delete(id);
    return row;
  }

  touch(key: Key, expire: number | null): boolean {
    const row = this.row(key);
    if (!this.live(row)) return false;
    row.expireTime = this.expireTime(expire);
    return true;
  }

  /** Live keys in the order keys() gives them: shard by shard, insertion order within one. */
  liveKeys(): Key[] {
    return [...this.rows.values()]
      .filter((row) => this.live(row))
      .sort((a, b) => this.shardOf(a.key) - this.shardOf(b.key) || a.seq - b.seq)
      .map((row) => row.key);
  }

  clone(): CacheModel {
    const copy = new CacheModel(this.now, this.shardOf, this.limits, this.bug);
    copy.seq = this.seq;
    copy.evicted = this.evicted;
    for (const [id, row] of this.rows) copy.rows.set(id, { ...row });
    return copy;
  }

  adopt(other: CacheModel): void {
    this.rows = other.rows;
    this.seq = other.seq;
    this.evicted = other.evicted;
  }
}

/** Bytes of the spill file Disk writes for `value`: strings, bytes and JSON text at or over the threshold. */
export function spillBytes(value: unknown, minFileSize: number): number {
  let bytes: number;
  if (typeof value === 'string') bytes = Buffer.byteLength(value);
  else if (value instanceof Uint8Array) bytes = value.byteLength;
  else if (value !== null && typeof value === 'object') bytes = Buffer.byteLength(JSON.stringify(value));
  else return 0; // numbers, bigints, booleans, null live in the row
  return bytes >= minFileSize ? bytes : 0;
}
