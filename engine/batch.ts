import type { StoreOptions } from './arguments.js';
import type { Core } from './core.js';
import type { GetRow } from './statements.js';
import type { Key, Value } from './disk.js';
import { InvalidOptionError } from './errors.js';
import { decodeRow, deleteEntry, lookup, MISS, storeEntry } from './store.js';

/**
 * Batch calls: many keys, one transaction. A single get is one SELECT in its
 * own implicit read transaction and a single set one BEGIN IMMEDIATE…COMMIT;
 * here the lock is taken and the journal written once for the whole batch,
 * which is where the per-key saving comes from.
 */

export interface GetManyOptions<D = undefined> {
  /** Returned in place of each missing key. */
  default?: D;
}

/** Accepts arrays, Sets, generators; refuses a lone string (it would be iterated by character). */
export function list<T>(items: Iterable<T>, name: string): T[] {
  if (
    typeof items === 'string' ||
    items === null ||
    typeof (items as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function'
  ) {
    throw new InvalidOptionError(
      name,
      `expected an array (or other iterable) of ${name}, got ${items === null ? 'null' : typeof items}`,
    );
  }
  return Array.isArray(items) ? items : [...items];
}

/** Values in the order of `keys`; the default (undefined) for misses. */
export function getMany<D>(core: Core, keys: Iterable<Key>, options: GetManyOptions<D> = {}): (Value | D)[] {
  const all = list(keys, 'keys');
  const fallback = options.default as D;
  const disk = core.disk;
  const kinds = all.map((key) => disk.keyKind(key)); // bad keys fail before any lock is taken
  if (!core.readOnlyGet) {
    // Statistics or LRU/LFU bookkeeping write on every get: one write transaction for all.
    return core.write(() => all.map((key, i) => lookup(core, key, kinds[i]!, { default: fallback }) as Value | D));
  }
  const out: (Value | D)[] = new Array(all.length);
  const read = () => {
    const now = core.now();
    const select = core.s.get;
    for (let i = 0; i < all.length; i++) {
      const row = select.get(disk.keyValue(all[i]!, kinds[i]!), kinds[i]) as GetRow | undefined;
      let value: Value | typeof MISS = MISS;
      if (row !== undefined && (row[1] === null || row[1] > now))
        value = decodeRow(core, row, false) as Value | typeof MISS;
      out[i] = value === MISS ? fallback : value;
    }
  };
  if (core.depth > 0) {
    read();
    return out;
  }
  // A deferred (read) transaction: one snapshot for the batch, and no write lock.
  try {
    core.prepare('BEGIN DEFERRED').run();
    try {
      read();
    } finally {
      if (core.db.inTransaction) core.prepare('COMMIT').run();
    }
  } catch (error) {
    throw core.mapError(error);
  }
  return out;
}

/** Entries as `[key, value]` pairs or a Map; every entry gets the same expire/tag. */
export type Entries = Iterable<readonly [Key, Value]> | ReadonlyMap<Key, Value>;

/** A batch entry must be a `[key, value]` pair; anything else is named before any write. */
export function assertEntry(entry: unknown): readonly [Key, Value] {
  if (!Array.isArray(entry) || entry.length !== 2)
    throw new InvalidOptionError('entries', 'each entry must be a [key, value] pair');
  return entry as unknown as readonly [Key, Value];
}

/** Stores every entry in one transaction (all or nothing); returns how many were stored. */
export function setMany(core: Core, entries: Entries, options?: StoreOptions): number {
  const all = list(entries as Iterable<readonly [Key, Value]>, 'entries');
  const disk = core.disk;
  const kinds = all.map((entry) => disk.keyKind(assertEntry(entry)[0]));
  const read = options?.read === true;
  return core.write(() => {
    for (let i = 0; i < all.length; i++) {
      const [key, value] = all[i]!;
      // store() may write a spill file; storeEntry registers it so a rollback removes it.
      storeEntry(core, key, kinds[i]!, disk.store(value, read), options, false);
    }
    return all.length;
  });
}

/** Removes every key in one transaction; returns how many held a live value. */
export function deleteMany(core: Core, keys: Iterable<Key>): number {
  const all = list(keys, 'keys');
  for (const key of all) core.disk.keyKind(key);
  return core.write(() => {
    let removed = 0;
    for (const key of all) if (deleteEntry(core, key)) removed++;
    return removed;
  });
}
