import type { Readable } from 'node:stream';
import { checkTransactFn, optionsOf, type StoreOptions } from './arguments.js';
import { deleteMany, getMany, setMany, type Entries, type GetManyOptions } from './batch.js';
import { checkFiles, type CheckOptions } from './check.js';
import { CLOSED_CORE } from './closed-core.js';
import type { Core } from './core.js';
import { incrEntry, negate, type Counter } from './counter.js';
import { closedError, InvalidOptionError } from './errors.js';
import type { Disk, Key, Value } from './disk.js';
import { getValue, hasLiveKey, liveFilePath } from './key-reads.js';
import { clearAll, cullAll, evictTag, expireAll, keysOf, stats, type Stats, type StatsOptions } from './maintenance.js';
import { mapped } from './mapped.js';
import { memoize, type Memoized, type MemoizeOptions } from './memoize.js';
import { openCore } from './open-core.js';
import type { CacheOptions } from './options.js';
import { peekItem, reversedKeys, sortedKeys, type PeekedEntry, type PeekedItem, type PeekOptions } from './ordered.js';
import { resetSetting } from './reset-setting.js';
import { pull, push, queueLength, type PullOptions, type PushOptions, type QueueItem } from './queue.js';
import type { SettingName, Settings } from './settings.js';
import { setStream } from './set-stream.js';
import { deleteEntry, popEntry, storeEntry, touchEntry, type Entry, type GetOptions } from './store.js';

type EntryFlags = { expireTime: true } | { tag: true };

/**
 * A disk cache in one directory: cache.db (SQLite) plus spill files. Every
 * method is synchronous, like better-sqlite3; times are seconds (float).
 * Semantics follow python-diskcache's `Cache`.
 */
export class Cache {
  /** CLOSED_CORE after close(): every method then throws CacheStateError. */
  private core: Core;
  /** Kept apart from core: where the data lives stays known after close (to remove it, say). */
  readonly directory: string;

  constructor(directory?: string, options?: CacheOptions) {
    this.core = openCore(directory, options);
    this.directory = this.core.directory;
  }

  /** The resolved settings (defaults < stored in cache.db < explicit options). */
  get settings(): Readonly<Settings> {
    return { ...this.core.settings };
  }

  get disk(): Disk {
    return this.core.disk;
  }

  /** The cache clock in seconds (the `now` option): expiry times are absolute on it. */
  clock(): number {
    return this.core.now();
  }

  /** Stores a value; `expire` in seconds from now. Returns true. */
  set(key: Key, value: Value, options?: StoreOptions): boolean {
    const core = this.core;
    const kind = core.disk.keyKind(key);
    // Checked before store() writes a spill file; skipped (no call) on the hot path without options.
    if (options !== undefined) optionsOf(options, 'set');
    return storeEntry(core, key, kind, core.disk.store(value, options?.read === true), options, false);
  }

  /** Stores only when the key has no live value; true when stored. */
  add(key: Key, value: Value, options?: StoreOptions): boolean {
    const core = this.core;
    const kind = core.disk.keyKind(key);
    if (options !== undefined) optionsOf(options, 'add');
    return storeEntry(core, key, kind, core.disk.store(value, options?.read === true), options, true);
  }

  /** Stores a stream's bytes as a spill file (async only because streams are). */
  setStream(
    key: Key,
    stream: Readable | AsyncIterable<Uint8Array | string>,
    options?: Omit<StoreOptions, 'read'>,
  ): Promise<boolean> {
    return setStream(this.core, key, stream, optionsOf(options, 'setStream'));
  }

  get<D = undefined>(key: Key, options: GetOptions<D> & { read: true } & EntryFlags): Entry<Readable | D>;
  get<D = undefined>(key: Key, options: GetOptions<D> & EntryFlags): Entry<Value | D>;
  get<D = undefined>(key: Key, options: GetOptions<D> & { read: true }): Readable | D;
  get<D = undefined>(key: Key, options: GetOptions<D>): Value | D;
  get(key: Key): Value | undefined;
  get(key: Key, options?: GetOptions<unknown>): unknown {
    return getValue(this.core, key, options);
  }

  /** A readable stream of a value's bytes (spill file or row), or undefined on a miss. */
  read(key: Key): Readable | undefined {
    return this.get(key, { read: true });
  }

  /**
   * Absolute path of a live value's spill file (for sendfile-style serving),
   * or undefined when the key is missing, its value lives in the row, or its
   * spill file is gone (as get() then misses). The file may be removed once
   * the key is replaced; prefer read() for a stream that survives that.
   */
  filePath(key: Key): string | undefined {
    return liveFilePath(this.core, key);
  }

  has(key: Key): boolean {
    return hasLiveKey(this.core, key);
  }

  /** Removes a key; true when it held a live value. */
  delete(key: Key): boolean {
    return deleteEntry(this.core, key);
  }

  pop<D = undefined>(key: Key, options: GetOptions<D> & EntryFlags): Entry<Value | D>;
  pop<D = undefined>(key: Key, options?: GetOptions<D>): Value | D;
  pop(key: Key, options?: GetOptions<unknown>): unknown {
    return popEntry(this.core, key, optionsOf(options, 'pop'));
  }

  /** New expiry for a live key: seconds from now, or null for never. */
  touch(key: Key, expire: number | null = null): boolean {
    return touchEntry(this.core, key, expire);
  }

  /**
   * Atomic increment; a missing key starts at `default` (0). Number counters
   * stay exact or throw CounterOverflowError (past ±(2^53 − 1)); a bigint
   * delta keeps a bigint counter exact at any size (engine/counter.ts).
   */
  incr(key: Key, delta?: number, options?: { default?: number | null }): number;
  incr(key: Key, delta: bigint, options?: { default?: number | bigint | null }): bigint;
  incr(key: Key, delta: Counter = 1, options: { default?: Counter | null } = {}): Counter {
    const { default: start = 0 } = optionsOf(options, 'incr');
    return incrEntry(this.core, key, delta, start, 'incr');
  }

  decr(key: Key, delta?: number, options?: { default?: number | null }): number;
  decr(key: Key, delta: bigint, options?: { default?: number | bigint | null }): bigint;
  decr(key: Key, delta: Counter = 1, options: { default?: Counter | null } = {}): Counter {
    const { default: start = 0 } = optionsOf(options, 'decr');
    return incrEntry(this.core, key, negate(delta), start, 'decr');
  }

  /** Pushes onto a queue of keys (`prefix-000...` strings, or numbers without prefix); returns the key. */
  push(value: Value, options?: PushOptions): Key {
    return push(this.core, value, optionsOf(options, 'push'));
  }

  pull<D = undefined>(options?: PullOptions<D>): QueueItem | D {
    return pull(this.core, optionsOf(options, 'pull'), true);
  }

  peek<D = undefined>(options?: PullOptions<D>): QueueItem | D {
    return pull(this.core, optionsOf(options, 'peek'), false);
  }

  /** Items in the queue of `prefix` (numbers without one); other keys of the cache are not counted. */
  queueLength(options: { prefix?: string | null } = {}): number {
    return queueLength(this.core, optionsOf(options, 'queueLength').prefix);
  }

  /** Values of many keys (the default for misses), read in one transaction. */
  getMany<D = undefined>(keys: Iterable<Key>, options?: GetManyOptions<D>): (Value | D)[] {
    return getMany(this.core, keys, optionsOf(options, 'getMany'));
  }

  /** Stores many entries in one transaction, all or nothing; returns how many. */
  setMany(entries: Entries, options?: StoreOptions): number {
    return setMany(this.core, entries, optionsOf(options, 'setMany'));
  }

  /** Removes many keys in one transaction; returns how many held a live value. */
  deleteMany(keys: Iterable<Key>): number {
    return deleteMany(this.core, keys);
  }

  /**
   * The newest (or with `last` false, the oldest) live item in insertion
   * order, or undefined when empty. With `expireTime` or `tag` it comes with
   * both, as get's entry form (diskcache's `peekitem(last, expire_time, tag)`).
   */
  peekitem(last: boolean, options: PeekOptions & ({ expireTime: true } | { tag: true })): PeekedEntry | undefined;
  peekitem(last?: boolean, options?: PeekOptions): PeekedItem | undefined;
  peekitem(last = true, options?: PeekOptions): PeekedItem | PeekedEntry | undefined {
    const { expireTime, tag } = optionsOf(options, 'peekitem');
    if (typeof last !== 'boolean')
      throw new InvalidOptionError('last', `peekitem(last?, options?) takes true or false first, got ${typeof last}`);
    return peekItem(this.core, last, expireTime === true || tag === true);
  }

  /** Live keys in insertion order from the newest back: diskcache's `reversed(cache)`; keys stored meanwhile are not visited. */
  reversed(): IterableIterator<Key> {
    return reversedKeys(this.core);
  }

  /** Live keys in the database's sort order (numbers, then text, then bytes), optionally reversed. */
  iterkeys(reverse = false): IterableIterator<Key> {
    return sortedKeys(this.core, reverse);
  }

  /** Live keys, in insertion order; safe to use while the cache changes. */
  keys(): IterableIterator<Key> {
    return keysOf(this.core);
  }

  [Symbol.iterator](): IterableIterator<Key> {
    return this.keys();
  }

  /** Number of rows (expired ones count until culled, as in diskcache). */
  get length(): number {
    const core = this.core;
    return mapped(core, () => core.s.readSetting.get('count') as number);
  }

  /** Bytes used: database pages plus spill files. */
  volume(): number {
    const core = this.core;
    return mapped(core, () => core.volume());
  }

  /** Removes expired rows; returns how many. `now` defaults to the cache clock. */
  expire(now?: number): number {
    return expireAll(this.core, now ?? this.core.now());
  }

  /** Removes rows with this tag; returns how many. */
  evict(tag: string): number {
    return evictTag(this.core, tag);
  }

  /** Removes every row; returns how many. */
  clear(): number {
    return clearAll(this.core);
  }

  /** Removes expired rows, then rows by policy until volume() is under sizeLimit. */
  cull(): number {
    return cullAll(this.core);
  }

  /** Finds (and with fix repairs) integrity problems; returns warnings. */
  check(options?: CheckOptions): string[] {
    return checkFiles(this.core, optionsOf(options, 'check'));
  }

  /**
   * Changes a setting of the open cache and stores it for later opens (any
   * spelling: 'cull_limit', 'cullLimit', 'size'), running the pragma of an
   * `sqlite_*` setting; without a value, reloads the stored one (another
   * process may have changed it). Returns the value in force. Other open
   * handles keep theirs until they reset or reopen. docs/engine.md lists
   * which settings can change.
   */
  reset<K extends SettingName>(setting: K, value?: Settings[K] | string): Settings[K];
  reset(setting: string, value?: unknown): unknown;
  reset(setting: string, value?: unknown): unknown {
    const result = resetSetting(this.core, setting, value);
    this.core = result.core;
    return result.value;
  }

  /** Indexes the tag column so evict(tag) need not scan; stored as tagIndex for later opens. */
  createTagIndex(): void {
    this.reset('tagIndex', true);
  }

  dropTagIndex(): void {
    this.reset('tagIndex', false);
  }

  /** Hit/miss counts; `enable` switches counting on/off (left as is when omitted), `reset` zeroes them. */
  stats(options?: StatsOptions): Stats {
    return stats(this.core, optionsOf(options, 'stats'));
  }

  /**
   * Runs fn in one BEGIN IMMEDIATE transaction. A nested call runs in a
   * SAVEPOINT inside the outer one: if it throws, only its own changes are
   * undone and the outer transaction goes on (and may still commit).
   */
  transact<T>(fn: () => T): T {
    checkTransactFn(fn);
    return this.core.transact(fn);
  }

  /** Wraps fn so results are cached under `[name, ...args]`. */
  memoize<A extends unknown[], R extends Value>(fn: (...args: A) => R, options?: MemoizeOptions): Memoized<A, R> {
    if (this.core === CLOSED_CORE) throw closedError(); // it would only fail at its first call
    return memoize(this, fn, options);
  }

  /** Idempotent; any later use of the cache throws CacheStateError. */
  close(): void {
    const core = this.core;
    if (core === CLOSED_CORE) return;
    core.checkpointer?.close(); // the checkpoint thread's connection goes first, so closing this one removes the WAL
    core.db.close(); // before the state changes: if it throws (a statement still iterating), the cache stays usable
    this.core = CLOSED_CORE;
  }
}
