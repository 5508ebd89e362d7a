import { existsSync } from 'node:fs';
import { optionsOf } from './arguments.js';
import { isCompressed } from './compress.js';
import type { Core } from './core.js';
import type { GetRow } from './statements.js';
import type { Key } from './disk.js';
import { mapped } from './mapped.js';
import { decodeRow, lookup, MISS, type GetOptions } from './store.js';

/** Cache.get: without options (and with nothing to record on a read) one prepared SELECT, else lookup(). */
export function getValue(core: Core, key: Key, options: GetOptions<unknown> | undefined): unknown {
  const disk = core.disk;
  const kind = disk.keyKind(key);
  if (options !== undefined || !core.readOnlyGet) return lookup(core, key, kind, optionsOf(options, 'get'));
  // Hot path: one prepared SELECT, no transaction, no allocation beyond the row.
  let row: GetRow | undefined;
  try {
    row = core.s.get.get(disk.keyValue(key, kind), kind) as GetRow | undefined;
  } catch (error) {
    throw core.mapError(error);
  }
  if (row === undefined) return undefined;
  const expire = row[1];
  if (expire !== null && expire <= core.now()) return undefined;
  if (row[3] === null) return disk.fetch(row[2], null, row[4]);
  const value = decodeRow(core, row, false);
  return value === MISS ? undefined : value;
}

/** Cache.filePath: the absolute path of a live value's spill file, or undefined. */
export function liveFilePath(core: Core, key: Key): string | undefined {
  const kind = core.disk.keyKind(key);
  const row = mapped(core, () => core.s.get.get(core.disk.keyValue(key, kind), kind) as GetRow | undefined);
  // A compressed value's file holds deflated bytes, not the value: nothing to serve as is.
  if (row === undefined || row[3] === null || isCompressed(row[2]) || (row[1] !== null && row[1] <= core.now()))
    return undefined;
  const path = core.disk.path(row[3]);
  return existsSync(path) ? path : undefined;
}

/** Cache.has: a live row whose spill file (if any) is still there. */
export function hasLiveKey(core: Core, key: Key): boolean {
  const kind = core.disk.keyKind(key);
  try {
    const row = core.s.get.get(core.disk.keyValue(key, kind), kind) as GetRow | undefined;
    if (row === undefined || (row[1] !== null && row[1] <= core.now())) return false;
    // A spill file removed behind the row's back reads as a miss in get(), so it is absent here too.
    // existsSync is one stat; the file is not read (a damaged one is still "present": get() then throws).
    return row[3] === null || existsSync(core.disk.path(row[3]));
  } catch (error) {
    throw core.mapError(error);
  }
}
