import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { optionsOf, type StoreOptions } from './arguments.js';
import { assertEntry, list, type Entries, type GetManyOptions } from './batch.js';
import { Cache } from './cache.js';
import type { CheckOptions } from './check.js';
import type { Key, Value } from './disk.js';
import { InvalidOptionError, ShardLayoutError } from './errors.js';
import { createLayout, readLayout, shardDirectory, type Layout } from './fanout-layout.js';
import { migrateLayout, openAll } from './fanout-migrate.js';
import type { StatsOptions } from './maintenance.js';
import { memoize, type Memoized, type MemoizeOptions } from './memoize.js';
import { ensureDirectory } from './open.js';
import { checkOptions, type CacheOptions } from './options.js';
import { DEFAULT_SETTINGS, SETTINGS, type Settings } from './settings.js';
import { HASH_NAME, shardOf } from './shard-hash.js';
import { closest } from './units.js';
import { answer, MISS, type Entry, type GetOptions } from './store.js';
import { ShardedOps, type FanoutStats } from './fanout-ops.js';

export interface FanoutOptions extends CacheOptions {
  /** Number of shards; a directory that already has shards keeps its count unless `migrate`. @default 8 (or the stored count) */
  shards?: number;
  /** Seconds an operation waits for its shard's lock before it is given up and counted as a timeout. @default 0.010 */
  timeout?: number;
  /** Rehash every entry into `shards` shards when the directory holds another count. @default false */
  migrate?: boolean;
}

export const FANOUT_DEFAULTS = { shards: 8, timeout: 0.01 } as const;
/** Opening waits this long for other processes creating the shards, whatever the operation timeout. */
const OPEN_TIMEOUT = 60;

/**
 * N `Cache` shards in subfolders `000`, `001`, … of one directory; each key
 * lives in the shard its serialised bytes hash to (shard-hash.ts). Writers to
 * different shards never wait for each other, and a short timeout turns lock
 * waits into counted misses, as python-diskcache's FanoutCache does: a set
 * that cannot get its shard's lock within `timeout` returns false, a get
 * returns the default, a delete returns false. Semantics otherwise follow Cache.
 */
export class FanoutCache extends ShardedOps {
  readonly directory: string;
  private readonly layout: Layout;

  constructor(directory?: string, options: FanoutOptions = {}) {
    checkFanoutOptions(options);
    const { shards: wanted, migrate = false, ...cacheOptions } = options ?? {};
    if (wanted !== undefined && !(Number.isInteger(wanted) && wanted >= 1 && wanted <= 999)) {
      throw new InvalidOptionError('shards', `expected a whole number 1..999, got ${String(wanted)}`);
    }
    if (typeof migrate !== 'boolean') throw new InvalidOptionError('migrate', 'expected true or false');
    // Every option checked before anything is created: the layout and the sizeLimit split use them first.
    checkOptions(cacheOptions);
    const timeout = SETTINGS.timeout.validate(cacheOptions.timeout ?? FANOUT_DEFAULTS.timeout);
    // A user's openTimeout is respected; by default opening may wait longer than a (10 ms) operation timeout.
    const openTimeout = cacheOptions.openTimeout ?? Math.max(timeout, OPEN_TIMEOUT);
    const dir = resolve(directory ?? mkdtempSync(join(tmpdir(), 'cachebench-fanout-')));
    ensureDirectory(dir, cacheOptions.dirMode ?? DEFAULT_SETTINGS.dirMode);
    const fileMode = cacheOptions.fileMode ?? DEFAULT_SETTINGS.fileMode;

    const existing = readLayout(dir);
    const count = wanted ?? existing?.shards ?? FANOUT_DEFAULTS.shards;
    let layout = existing ?? createLayout(dir, { format: 'cachebench-fanout', version: 1, shards: count, hash: HASH_NAME, generation: 0 }, fileMode);
    const fresh = existing === undefined && layout.shards === count;
    // Total size limit split evenly; reopening without one keeps what the shards stored.
    const totalLimit = cacheOptions.sizeLimit ?? (fresh ? DEFAULT_SETTINGS.sizeLimit : undefined);
    const shardOptions = (index: number, n: number, inherited: Partial<Settings> = {}): CacheOptions => {
      const limit = totalLimit ?? (inherited.sizeLimit === undefined ? undefined : inherited.sizeLimit * layout.shards);
      return { ...inherited, ...cacheOptions, timeout, openTimeout, ...(limit === undefined ? {} : { sizeLimit: Math.floor(limit / n) }) };
    };

    if (layout.shards !== count || layout.hash !== HASH_NAME) {
      const problem = layout.hash !== HASH_NAME
        ? `its keys were placed with hash ${layout.hash}, this version uses ${HASH_NAME}`
        : `it holds ${layout.shards} shards and was opened with shards: ${count}`;
      if (!migrate) {
        throw new ShardLayoutError(dir, `${problem}; keys would be looked up in the wrong shards. ` +
          `Open it with shards: ${layout.shards} (or leave shards out), or pass migrate: true to rehash every entry`);
      }
      const inherited = persistedSettings(new Cache(shardDirectory(dir, layout.generation, 0), shardOptions(0, layout.shards)));
      layout = migrateLayout({
        directory: dir,
        from: layout,
        shards: count,
        fileMode,
        open: (folder, index, n, overrides) => new Cache(folder, { ...shardOptions(index, n, inherited), ...overrides }),
      });
    }
    const caches = openAll(layout.shards, (i) => new Cache(shardDirectory(dir, layout.generation, i), shardOptions(i, layout.shards)));
    super(caches, timeout);
    this.directory = dir;
    this.layout = layout;
  }

  /** The shard count in force (stored in fanout.json). */
  get shardCount(): number {
    return this.layout.shards;
  }

  /** Shard 0's settings, with sizeLimit the total over all shards. */
  get settings(): Readonly<Settings> {
    const first = this.shards[0]!.settings;
    return { ...first, sizeLimit: first.sizeLimit * this.shards.length, timeout: this.timeout };
  }

  /** The shard index a key is stored in. */
  shardIndex(key: Key): number {
    return shardOf(this.disk, key, this.shards.length);
  }

  set(key: Key, value: Value, options?: StoreOptions): boolean {
    return this.onShard(key, SET, value, options);
  }

  add(key: Key, value: Value, options?: StoreOptions): boolean {
    return this.onShard(key, ADD, value, options);
  }

  async setStream(key: Key, stream: Readable | AsyncIterable<Uint8Array | string>, options?: Omit<StoreOptions, 'read'>): Promise<boolean> {
    // Not onShard: the lock timeout arrives as a rejection, so it is caught after the await.
    const i = shardOf(this.disk, key, this.shards.length);
    try {
      return await this.shards[i]!.setStream(key, stream, options);
    } catch (error) {
      return this.absorb(error, i, false);
    }
  }

  get<D = undefined>(key: Key, options: GetOptions<D> & ({ expireTime: true } | { tag: true })): Entry<Value | D>;
  get<D = undefined>(key: Key, options: GetOptions<D>): Value | D;
  get(key: Key): Value | undefined;
  get(key: Key, options?: GetOptions<unknown>): unknown {
    return this.onShard(key, GET, options, undefined);
  }

  read(key: Key): Readable | undefined {
    return this.get(key, { read: true }) as Readable | undefined;
  }

  filePath(key: Key): string | undefined {
    return this.onShard(key, FILE_PATH, undefined, undefined);
  }

  has(key: Key): boolean {
    return this.onShard(key, HAS, undefined, undefined);
  }

  delete(key: Key): boolean {
    return this.onShard(key, DELETE, undefined, undefined);
  }

  pop<D = undefined>(key: Key, options: GetOptions<D> = {}): Value | D {
    return this.onShard(key, POP, options, undefined) as Value | D;
  }

  touch(key: Key, expire: number | null = null): boolean {
    return this.onShard(key, TOUCH, expire, undefined);
  }

  /** As Cache.incr, but null when the shard stayed locked past `timeout` (diskcache returns None). */
  incr(key: Key, delta = 1, options: { default?: number | null } = {}): number | null {
    return this.onShard(key, INCR, delta, options);
  }

  decr(key: Key, delta = 1, options: { default?: number | null } = {}): number | null {
    return this.incr(key, -delta, options);
  }

  getMany<D = undefined>(keys: Iterable<Key>, given?: GetManyOptions<D>): (Value | D)[] {
    // Checked as Cache checks them (a lone string is not a list of keys), before any shard is asked.
    const all = list(keys, 'keys');
    const options = optionsOf(given, 'getMany');
    const out: (Value | D)[] = new Array(all.length);
    for (const [i, positions] of this.groupByShard(all)) {
      let values: (Value | D)[];
      try {
        values = this.shards[i]!.getMany(positions.map((p) => all[p]!), options);
      } catch (error) {
        values = positions.map(() => options.default as D);
        this.absorb(error, i, undefined);
      }
      positions.forEach((p, j) => (out[p] = values[j]!));
    }
    return out;
  }

  /**
   * Each shard's part in one transaction; a shard that times out stores none of
   * its part (not counted). Keys and values are all checked before the first
   * shard writes, so a bad entry leaves nothing behind.
   */
  setMany(entries: Entries, options?: StoreOptions): number {
    const all = list(entries as Iterable<unknown>, 'entries').map(assertEntry);
    for (const [, value] of all) this.disk.assertStorable(value, options?.read === true);
    let stored = 0;
    for (const [i, positions] of this.groupByShard(all.map((e) => e[0]))) {
      try {
        stored += this.shards[i]!.setMany(positions.map((p) => all[p]!), options);
      } catch (error) {
        this.absorb(error, i, 0);
      }
    }
    return stored;
  }

  deleteMany(keys: Iterable<Key>): number {
    let removed = 0;
    const all = list(keys, 'keys');
    for (const [i, positions] of this.groupByShard(all)) {
      try {
        removed += this.shards[i]!.deleteMany(positions.map((p) => all[p]!));
      } catch (error) {
        this.absorb(error, i, 0);
      }
    }
    return removed;
  }

  memoize<A extends unknown[], R extends Value>(fn: (...args: A) => R, options?: MemoizeOptions): Memoized<A, R> {
    return memoize(this, fn, options);
  }

  stats(options?: StatsOptions): FanoutStats {
    return this.shardStats(optionsOf(options, 'stats'));
  }

  check(given?: CheckOptions): string[] {
    const options = optionsOf(given, 'check');
    return this.shards.flatMap((shard, i) => this.retry(() => shard.check(options)).map((w) => `shard ${i}: ${w}`));
  }

  /**
   * Runs a single-key operation on the key's shard; a lock timeout there is
   * counted and answered with the operation's `timedOut` value. The operation
   * and its two arguments are passed apart (no closure), so a get or set
   * allocates nothing here.
   */
  private onShard<A, B, T>(key: Key, op: ShardOp<A, B, T>, a: A, b: B): T {
    const i = shardOf(this.disk, key, this.shards.length);
    try {
      return op.run(this.shards[i]!, key, a, b);
    } catch (error) {
      return this.absorb(error, i, op.timedOut(a));
    }
  }

  private groupByShard(keys: Key[]): Map<number, number[]> {
    const groups = new Map<number, number[]>();
    for (let p = 0; p < keys.length; p++) {
      const i = shardOf(this.disk, keys[p]!, this.shards.length);
      let list = groups.get(i);
      if (list === undefined) groups.set(i, (list = []));
      list.push(p);
    }
    return groups;
  }
}

/** A single-key operation of FanoutCache: what it does on a shard, and what it returns when the shard's lock times out. */
interface ShardOp<A, B, T> {
  run(shard: Cache, key: Key, a: A, b: B): T;
  timedOut(a: A): T;
}

const no = (): false => false;
const nothing = (): undefined => undefined;
/** get and pop time out as a miss: the default, in the entry form when one was asked for. */
const missed = (options: GetOptions<unknown> | undefined): unknown => answer(options ?? {}, MISS, undefined);

const SET: ShardOp<Value, StoreOptions | undefined, boolean> = { run: (shard, key, value, options) => shard.set(key, value, options), timedOut: no };
const ADD: ShardOp<Value, StoreOptions | undefined, boolean> = { run: (shard, key, value, options) => shard.add(key, value, options), timedOut: no };
const GET: ShardOp<GetOptions<unknown> | undefined, undefined, unknown> = {
  // Without options Cache.get takes its hot path.
  run: (shard, key, options) => (options === undefined ? shard.get(key) : shard.get(key, options)),
  timedOut: missed,
};
const FILE_PATH: ShardOp<undefined, undefined, string | undefined> = { run: (shard, key) => shard.filePath(key), timedOut: nothing };
const HAS: ShardOp<undefined, undefined, boolean> = { run: (shard, key) => shard.has(key), timedOut: no };
const DELETE: ShardOp<undefined, undefined, boolean> = { run: (shard, key) => shard.delete(key), timedOut: no };
const POP: ShardOp<GetOptions<unknown>, undefined, unknown> = { run: (shard, key, options) => shard.pop(key, options), timedOut: missed };
const TOUCH: ShardOp<number | null, undefined, boolean> = { run: (shard, key, expire) => shard.touch(key, expire), timedOut: no };
const INCR: ShardOp<number, { default?: number | null }, number | null> = { run: (shard, key, delta, options) => shard.incr(key, delta, options), timedOut: () => null };

/** Options only FanoutCache takes (the rest are Cache's, checked by checkOptions), and the names a typo is matched against. */
const FANOUT_ONLY = new Set(['shards', 'migrate']);
const FANOUT_HINTS = ['shards', 'migrate', 'timeout'];

/**
 * The options argument must be an object: `new FanoutCache(dir, 4)` is
 * diskcache's positional shard count and would otherwise open the default 8
 * shards and store that count for good. A near miss of a FanoutCache option
 * (`shard`) is named, since Cache's check does not know those names.
 */
function checkFanoutOptions(options: unknown): void {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object' || Array.isArray(options)) {
    const example = typeof options === 'number' ? `{ shards: ${options} }` : '{ shards: 4 }';
    throw new InvalidOptionError('options', `new FanoutCache(directory, options) takes an options object such as ${example}, ` +
      `got ${Array.isArray(options) ? 'an array' : typeof options} (diskcache's positional shard count is not taken)`);
  }
  for (const name of Object.keys(options)) {
    if (FANOUT_ONLY.has(name) || isCacheOption(name)) continue;
    const hint = closest(name, FANOUT_HINTS);
    if (hint !== undefined) throw new InvalidOptionError(name, `unknown option; did you mean ${hint}?`);
  }
}

/** True when Cache knows the option name (checkOptions refuses unknown names even with an undefined value). */
function isCacheOption(name: string): boolean {
  try {
    checkOptions({ [name]: undefined } as CacheOptions);
    return true;
  } catch {
    return false;
  }
}

/** The persisted settings a shard holds, to give new shards of a migration the same ones. */
function persistedSettings(cache: Cache): Partial<Settings> {
  try {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(cache.settings)) {
      if (SETTINGS[name as keyof Settings].persisted) out[name] = value;
    }
    return out as Partial<Settings>;
  } finally {
    cache.close();
  }
}
