import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { checkTag, expireTime, type StoreOptions } from './arguments.js';
import type { Core } from './core.js';
import type { GetRow } from './statements.js';
import type { Key, StoredValue, Value } from './disk.js';
import { CorruptCacheError } from './errors.js';
import { mapFsError } from './fs-errors.js';

/** Sentinel for "no live value" (undefined is never a stored value, but options may default to it). */
export const MISS: unique symbol = Symbol('miss');

/** A row is alive while it has no expiry or its expiry is still ahead of `now`. */
export function alive(row: GetRow | undefined, core: Core): row is GetRow {
  return row !== undefined && (row[1] === null || row[1] > core.now());
}

/**
 * Writes a key: the spill file (if any) already exists; the row goes in with
 * BEGIN IMMEDIATE, the replaced row's file is removed after the commit, and
 * up to cullLimit rows are culled. With `onlyIfAbsent` (add) a live row wins.
 */
export function storeEntry(
  core: Core,
  key: Key,
  kind: number,
  stored: StoredValue,
  options: StoreOptions | undefined,
  onlyIfAbsent: boolean,
): boolean {
  const { mode, value, filename, size } = stored;
  const dbKey = core.disk.keyValue(key, kind);
  let tag: string | null = null;
  let expire: number | null = null;
  // Pinned rows are never culled by policy (recipe state: a lock's key evicted would let a second holder in).
  const pinned = options?.pin === true ? 1 : 0;
  const now = core.now();
  try {
    // The caller checked the options' keys and types (optionsOf); here only what needs the value itself.
    if (options !== undefined && options !== null) {
      tag = checkTag(options.tag);
      expire = expireTime(now, options.expire);
    }
  } catch (error) {
    if (filename !== null) core.disk.remove(filename);
    throw error;
  }
  // Registered before BEGIN so a failure anywhere (even a lock timeout) removes it.
  if (filename !== null) core.created.push(filename);
  core.begin();
  try {
    const s = core.s;
    let written = true;
    let rowid: number | bigint = -1;
    if (onlyIfAbsent) {
      const row = s.get.get(dbKey, kind) as GetRow | undefined;
      if (alive(row, core)) {
        written = false;
        if (filename !== null) core.dropped.push(filename);
      } else if (row !== undefined) {
        s.update.run(now, expire, now, tag, size, mode, filename, value, pinned, (rowid = row[0]));
        if (row[3] !== null) core.dropped.push(row[3]);
      } else {
        rowid = s.insert.run(dbKey, kind, now, expire, now, tag, size, mode, filename, value, pinned).lastInsertRowid;
      }
    } else {
      const old = s.findOld.get(dbKey, kind) as [number, string | null] | undefined;
      if (old === undefined) {
        rowid = s.insert.run(dbKey, kind, now, expire, now, tag, size, mode, filename, value, pinned).lastInsertRowid;
      } else {
        s.update.run(now, expire, now, tag, size, mode, filename, value, pinned, (rowid = old[0]));
        if (old[1] !== null) core.dropped.push(old[1]);
      }
    }
    if (written) core.cull(now, Number(rowid));
    core.commit();
    return written;
  } catch (error) {
    core.rollback();
    throw core.mapError(error);
  }
}

export interface GetOptions<D = undefined> {
  /** Returned on a miss (and in `value` of the entry form). */
  default?: D;
  /** Return `{ value, expireTime, tag }` instead of the value. */
  expireTime?: boolean;
  tag?: boolean;
  /** Return a readable stream of the bytes (spill file or row) instead of the value. */
  read?: boolean;
}

export interface Entry<T> {
  value: T;
  /** Absolute expiry in seconds on the cache clock, or null. */
  expireTime: number | null;
  tag: string | null;
}

/**
 * Decodes a row; a spill file removed by another process in between reads as
 * a miss. Any other failure to read the spill file (EIO from a failing disk)
 * is a typed error naming it.
 */
export function decodeRow(core: Core, row: GetRow, read: boolean): Value | Readable | typeof MISS {
  try {
    if (row[3] !== null) checkSpillFile(core, row[0], row[3]);
    if (read) {
      const stream = core.disk.openRead(row[2], row[3], row[4]);
      return Buffer.isBuffer(stream) ? Readable.from([stream]) : stream;
    }
    return core.disk.fetch(row[2], row[3], row[4]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return MISS;
    const file = row[3] === null ? core.file : core.disk.path(row[3]);
    throw mapFsError(error, file, core.directory, `read spill file ${file}`);
  }
}

/**
 * A spill file must be a regular file of the size its row recorded: a truncated
 * or replaced file would otherwise decode as a shortened or wrong value.
 * Spill files never change once written, so the size read now is the size read next.
 */
function checkSpillFile(core: Core, rowid: number, filename: string): void {
  const full = core.disk.path(filename);
  const stat = statSync(full); // ENOENT: removed by another process, the caller's miss
  let size: number | undefined;
  try {
    size = core.prepare('SELECT size FROM Cache WHERE rowid = ? AND filename = ?').pluck().get(rowid, filename) as
      number | undefined;
  } catch (error) {
    throw core.mapError(error); // a failing disk under SQLite's read: CacheIOError or CorruptCacheError
  }
  // undefined: the row was replaced meanwhile, and the file was complete before that row committed.
  if (size !== undefined && (!stat.isFile() || stat.size !== size)) {
    const found = stat.isFile() ? `has ${stat.size} bytes, its row says ${size}` : 'is not a regular file';
    throw new CorruptCacheError(
      full,
      `${found}: the spill file is damaged and its entry cannot be read`,
      undefined,
      'run check({ fix: true }) to drop the entry and its file, or delete or set the key',
    );
  }
}

/** The general get: defaults, entry form, read streams, statistics and LRU/LFU bookkeeping. */
export function lookup(core: Core, key: Key, kind: number, options: GetOptions<unknown>): unknown {
  const dbKey = core.disk.keyValue(key, kind);
  const read = options.read === true;
  let row: GetRow | undefined;
  let result: unknown = MISS;
  if (core.readOnlyGet) {
    try {
      row = core.s.get.get(dbKey, kind) as GetRow | undefined;
    } catch (error) {
      throw core.mapError(error);
    }
    if (alive(row, core)) result = decodeRow(core, row, read);
  } else {
    result = core.write(() => {
      row = core.s.get.get(dbKey, kind) as GetRow | undefined;
      let found: unknown = MISS;
      if (alive(row, core)) {
        const s = core.s;
        if (s.policyGet !== null) {
          if (core.policy.getBindsNow) s.policyGet.run(core.now(), row[0]);
          else s.policyGet.run(row[0]);
        }
        // Decoded inside the transaction: nobody can drop the spill file meanwhile.
        found = decodeRow(core, row, read);
      }
      if (core.settings.statistics) core.s.bumpSetting.run(1, found === MISS ? 'misses' : 'hits');
      return found;
    });
  }
  return answer(options, result, row);
}

/**
 * What get and pop return: the value (the default on a miss), or the entry
 * form `{ value, expireTime, tag }` when either flag asks for it. `row` is
 * read only on a hit.
 */
export function answer(options: GetOptions<unknown>, result: unknown, row: GetRow | undefined): unknown {
  const hit = result !== MISS;
  const value = hit ? result : options.default;
  if (options.expireTime === true || options.tag === true) {
    return { value, expireTime: hit ? row![1] : null, tag: hit ? row![5] : null };
  }
  return value;
}

/** delete: removes the row; true when a live value was there. */
export function deleteEntry(core: Core, key: Key): boolean {
  const kind = core.disk.keyKind(key);
  const dbKey = core.disk.keyValue(key, kind);
  return core.write(() => {
    const row = core.s.get.get(dbKey, kind) as GetRow | undefined;
    if (row === undefined) return false;
    core.s.deleteRow.run(row[0]);
    if (row[3] !== null) core.dropped.push(row[3]);
    return alive(row, core);
  });
}

/** pop: the live value (or entry) and its removal, in one transaction. */
export function popEntry(core: Core, key: Key, options: GetOptions<unknown>): unknown {
  const kind = core.disk.keyKind(key);
  const dbKey = core.disk.keyValue(key, kind);
  let row: GetRow | undefined;
  const result = core.write(() => {
    row = core.s.get.get(dbKey, kind) as GetRow | undefined;
    if (row === undefined) return MISS;
    // Read before the commit that removes the spill file.
    const found = alive(row, core) ? decodeRow(core, row, options.read === true) : MISS;
    core.s.deleteRow.run(row[0]);
    if (row[3] !== null) core.dropped.push(row[3]);
    return found;
  });
  return answer(options, result, row);
}

/** touch: sets a new expiry (seconds from now, null for never) on a live key. */
export function touchEntry(core: Core, key: Key, expire: number | null): boolean {
  const kind = core.disk.keyKind(key);
  const dbKey = core.disk.keyValue(key, kind);
  // Checked before the lookup, so a bad expire is refused whether or not the key is there.
  expireTime(0, expire);
  return core.write(() => {
    const row = core.s.get.get(dbKey, kind) as GetRow | undefined;
    if (!alive(row, core)) return false;
    core.s.touch.run(expireTime(core.now(), expire), row[0]);
    return true;
  });
}
