import { Cache } from './cache.js';
import type { Key, Value } from './disk.js';
import { InvalidOptionError } from './errors.js';
import { checkOptions, objectOptions, type CacheOptions } from './options.js';
import { checkDirectory, optionsOf } from './arguments.js';
import { sameValue } from './same-value.js';

export interface DequeOptions extends CacheOptions {
  /** Most items kept; appending beyond it drops items from the other end. @default unbounded */
  maxlen?: number;
  /**
   * Items appended when it opens, in one transaction, as diskcache's
   * `Deque(iterable, directory)`: after what the directory already holds.
   */
  items?: Iterable<Value>;
}

const EMPTY = Symbol('empty');

/**
 * A persistent double-ended queue on a Cache of its own, as diskcache's
 * `persistent.Deque`: items are queue entries (push/pull on numeric keys),
 * so appends and pops at either end are atomic across processes, and the
 * items survive restarts. Positional access walks the keys in order inside
 * one transaction, so it costs O(index) — use the ends for hot paths.
 */
export class Deque implements Iterable<Value> {
  private limit: number | undefined;

  constructor(directory?: string, options?: DequeOptions) {
    const { maxlen, items, ...cacheOptions } = objectOptions(options, 'Deque');
    checkOptions(cacheOptions, ['maxlen', 'items']); // before Cache's own check, whose hint could not suggest maxlen
    // Items are jobs, not cached copies: culling must never drop them (diskcache's Deque uses 'none' too).
    this.cache = new Cache(checkDirectory(directory, 'Deque'), { evictionPolicy: 'none', ...cacheOptions });
    this.limit = checkMaxlen(maxlen);
    if (items !== undefined) extendOnOpen(this, items);
  }

  /** A Deque over an already open Cache; its other keys are left alone (not items, not counted). */
  static fromCache(cache: Cache, options?: { maxlen?: number; items?: Iterable<Value> }): Deque {
    const { maxlen, items } = optionsOf(options, 'Deque.fromCache');
    const limit = checkMaxlen(maxlen);
    const deque = Object.create(Deque.prototype) as Deque;
    Object.assign(deque, { cache, limit });
    if (items !== undefined) deque.extend(checkItems(items)); // the cache is the caller's: left open on a failure
    return deque;
  }

  readonly cache!: Cache;

  get directory(): string {
    return this.cache.directory;
  }

  get maxlen(): number | undefined {
    return this.limit;
  }

  /** Lowering maxlen drops items from the front, as appending would. */
  set maxlen(value: number | undefined) {
    this.limit = checkMaxlen(value);
    this.cache.transact(() => this.trim('front'));
  }

  /** Items of the deque (other keys in its cache are not counted). */
  get length(): number {
    return this.cache.queueLength();
  }

  append(value: Value): void {
    this.cache.transact(() => {
      this.cache.push(value, { side: 'back' });
      this.trim('front');
    });
  }

  appendleft(value: Value): void {
    this.cache.transact(() => {
      this.cache.push(value, { side: 'front' });
      this.trim('back');
    });
  }

  extend(values: Iterable<Value>): void {
    this.cache.transact(() => {
      for (const value of values) this.append(value);
    });
  }

  /** Each value goes to the front in turn, so the result is reversed (as diskcache and Python do). */
  extendleft(values: Iterable<Value>): void {
    this.cache.transact(() => {
      for (const value of values) this.appendleft(value);
    });
  }

  /** Removes and returns the last item; undefined when empty. */
  pop(): Value | undefined {
    return this.take('back', true);
  }

  popleft(): Value | undefined {
    return this.take('front', true);
  }

  peek(): Value | undefined {
    return this.take('back', false);
  }

  peekleft(): Value | undefined {
    return this.take('front', false);
  }

  /** Removes every item; other keys of the cache are left alone. */
  clear(): void {
    this.cache.transact(() => {
      this.cache.deleteMany([...this.cache.keys()].filter(isItemKey));
    });
  }

  /** The item at `index` (negative counts from the back); undefined when out of range. */
  at(index: number): Value | undefined {
    return this.cache.transact(() => {
      const key = this.keyAt(index);
      return key === undefined ? undefined : (this.cache.get(key) as Value);
    });
  }

  /** Replaces the item at `index`; RangeError when out of range. */
  setAt(index: number, value: Value): void {
    this.cache.transact(() => this.cache.set(this.existingKey(index), value));
  }

  /** Removes the item at `index`; RangeError when out of range. */
  deleteAt(index: number): void {
    this.cache.transact(() => this.cache.delete(this.existingKey(index)));
  }

  /** Moves `steps` items from the back to the front (negative: front to back). */
  rotate(steps = 1): void {
    if (!Number.isInteger(steps)) throw new InvalidOptionError('steps', `expected an integer, got ${String(steps)}`);
    this.cache.transact(() => {
      const n = this.length;
      if (n === 0) return;
      const moves = ((steps % n) + n) % n;
      // Rotating left is shorter when more than half the items would move right.
      if (moves <= n / 2) for (let i = 0; i < moves; i++) this.cache.push(this.take('back', true)!, { side: 'front' });
      else for (let i = 0; i < n - moves; i++) this.cache.push(this.take('front', true)!, { side: 'back' });
    });
  }

  /** Removes the first item equal to `value` (same type and content); false when there is none. */
  remove(value: Value): boolean {
    return this.cache.transact(() => {
      for (const key of this.cache.iterkeys()) {
        if (isItemKey(key) && sameValue(this.cache.get(key) as Value, value)) return this.cache.delete(key);
      }
      return false;
    });
  }

  count(value: Value): number {
    let n = 0;
    for (const item of this) if (sameValue(item, value)) n++;
    return n;
  }

  /** Front to back. Items removed meanwhile by another process are skipped. */
  *[Symbol.iterator](): IterableIterator<Value> {
    yield* this.walk(false);
  }

  /** Back to front. */
  *reversed(): IterableIterator<Value> {
    yield* this.walk(true);
  }

  toArray(): Value[] {
    return this.cache.transact(() => [...this]);
  }

  transact<T>(fn: () => T): T {
    return this.cache.transact(fn);
  }

  close(): void {
    this.cache.close();
  }

  private *walk(reverse: boolean): IterableIterator<Value> {
    for (const key of this.cache.iterkeys(reverse)) {
      if (!isItemKey(key)) continue;
      const value = this.cache.get(key, { default: EMPTY });
      if (value !== EMPTY) yield value as Value;
    }
  }

  private take(side: 'front' | 'back', remove: boolean): Value | undefined {
    const item = remove
      ? this.cache.pull<typeof EMPTY>({ side, default: EMPTY })
      : this.cache.peek<typeof EMPTY>({ side, default: EMPTY });
    return item === EMPTY ? undefined : (item.value as Value);
  }

  private trim(side: 'front' | 'back'): void {
    if (this.limit === undefined) return;
    // Counted over the deque's own rows: other keys in the directory must not make it pull forever.
    for (let excess = this.cache.queueLength() - this.limit; excess > 0; excess--) {
      if (this.cache.pull({ side, default: EMPTY }) === EMPTY) return;
    }
  }

  private keyAt(index: number): Key | undefined {
    if (!Number.isInteger(index)) throw new InvalidOptionError('index', `expected an integer, got ${String(index)}`);
    const reverse = index < 0;
    let skip = reverse ? -index - 1 : index;
    for (const key of this.cache.iterkeys(reverse)) {
      if (isItemKey(key) && skip-- === 0) return key;
    }
    return undefined;
  }

  private existingKey(index: number): Key {
    const key = this.keyAt(index);
    if (key === undefined) throw new RangeError(`deque index ${index} out of range (length ${this.length})`);
    return key;
  }
}

/** The deque's items sit on push()'s integer keys in [0, 1e15); anything else in the directory is not an item. */
function isItemKey(key: Key): boolean {
  return Number.isSafeInteger(key) && (key as number) >= 0 && (key as number) < 1e15;
}

/** The opening items of `new Deque(dir, { items })`; a failure closes the cache just opened, so no handle leaks. */
function extendOnOpen(deque: Deque, items: Iterable<Value>): void {
  try {
    deque.extend(checkItems(items));
  } catch (error) {
    deque.close();
    throw error;
  }
}

function checkItems(items: unknown): Iterable<Value> {
  if (typeof items === 'object' && items !== null && typeof (items as Iterable<Value>)[Symbol.iterator] === 'function')
    return items as Iterable<Value>;
  throw new InvalidOptionError(
    'items',
    `expected an iterable of values (an array, say), got ${items === null ? 'null' : typeof items}`,
  );
}

function checkMaxlen(maxlen: unknown): number | undefined {
  if (maxlen === undefined || maxlen === null) return undefined;
  if (typeof maxlen !== 'number' || !Number.isInteger(maxlen) || maxlen < 0) {
    throw new InvalidOptionError('maxlen', `expected a whole number ≥ 0, got ${String(maxlen)}`);
  }
  return maxlen;
}
