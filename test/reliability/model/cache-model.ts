import type { Key } from '../../../engine/index.js';

/**
 * A plain in-memory model of the cache's documented semantics, on a clock the
 * test controls. Rows stay in the model after they expire, as in cache.db,
 * until something removes them (expire, cull, the cull on each write, pop,
 * delete), so `length` and the counts returned by expire/evict/clear/cull are
 * exact. The rules, each from docs/engine.md:
 * - a row is live while expireTime is null or > now;
 * - set, an add that stores, and an incr that inserts a row then remove every
 *   expired row (key spaces here stay under cullLimit = 10), per shard;
 * - updates keep the row's place in keys() order, inserts go last;
 * - incr of a live non-number is an error; of a missing or expired key, 0 + delta
 *   with no expiry or tag.
 */
export interface Row {
  key: Key;
  value: unknown;
  expireTime: number | null;
  tag: string | null;
  seq: number;
}

/** Deliberate mistakes for the test that shows a wrong model is caught and shrunk. */
export type ModelBug = 'none' | 'no-cull-on-write' | 'update-moves-last';

export class CacheModel {
  rows = new Map<string, Row>();
  seq = 0;

  constructor(
    public now: number,
    /** The shard a key lives in (always 0 for Cache), from the real FanoutCache's hash. */
    readonly shardOf: (key: Key) => number,
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
    this.rows.set(id, { key, value, expireTime, tag, seq });
  }

  /** The cull every storing write runs: all expired rows of the written key's shard. */
  cullAfterWrite(key: Key): void {
    if (this.bug === 'no-cull-on-write') return;
    const shard = this.shardOf(key);
    for (const [id, row] of this.rows) {
      if (this.shardOf(row.key) === shard && !this.live(row)) this.rows.delete(id);
    }
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
      row.value = next;
      return next;
    }
    this.write(key, delta, null, null);
    // Only an insert culls; reviving an expired row is an update.
    if (row === undefined) this.cullAfterWrite(key);
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
    const copy = new CacheModel(this.now, this.shardOf, this.bug);
    copy.seq = this.seq;
    for (const [id, row] of this.rows) copy.rows.set(id, { ...row });
    return copy;
  }

  adopt(other: CacheModel): void {
    this.rows = other.rows;
    this.seq = other.seq;
  }
}
