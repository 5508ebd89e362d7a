import type { StoreOptions } from './arguments.js';
import type { Core } from './core.js';
import type { GetRow } from './statements.js';
import { KIND, type Key, type Value } from './disk.js';
import { isWellFormed } from './is-well-formed.js';
import { InvalidOptionError } from './errors.js';
import { decodeRow, MISS, storeEntry } from './store.js';

/**
 * Queues on keys, as diskcache's push/pull/peek: without a prefix the keys are
 * numbers in [0, 1e15), starting at 5e14 so both ends have room; with a prefix
 * they are strings `prefix-` plus 15 digits, which sort like the numbers.
 */
const START = 500_000_000_000_000;
const LIMIT = 1_000_000_000_000_000;
const DIGITS = 15;

export type Side = 'back' | 'front';

export interface PushOptions extends StoreOptions {
  prefix?: string | null;
  /** @default 'back' */
  side?: Side;
}

export interface PullOptions<D = undefined> {
  prefix?: string | null;
  /** @default 'front' */
  side?: Side;
  /** Returned when the queue is empty. */
  default?: D;
  /** Stream the value's bytes instead of decoding it. */
  read?: boolean;
}

export interface QueueItem {
  key: Key;
  value: unknown;
  expireTime: number | null;
  tag: string | null;
}

function checkQueue(prefix: unknown, side: unknown, defaultSide: Side): [string | null, Side] {
  if (prefix !== undefined && prefix !== null && typeof prefix !== 'string') {
    throw new InvalidOptionError('prefix', `expected a string or null, got ${typeof prefix}`);
  }
  if (typeof prefix === 'string' && !isWellFormed(prefix)) {
    throw new InvalidOptionError('prefix', 'has an unpaired surrogate (invalid UTF-16) and would be stored changed');
  }
  const chosen = side ?? defaultSide;
  if (chosen !== 'back' && chosen !== 'front') {
    throw new InvalidOptionError('side', `expected 'back' or 'front', got ${String(side)}`);
  }
  return [(prefix as string | null | undefined) ?? null, chosen];
}

/**
 * The rows of one queue. Ordinary keys that merely look similar stay out: without
 * a prefix only integers in range count (not 5e14 + 0.5), with one only
 * `prefix-` followed by exactly 15 digits (not `prefix-50000000000000a`).
 */
function queueWhere(prefix: string | null): [string, unknown[]] {
  if (prefix === null)
    return [`key >= 0 AND key < ${LIMIT} AND kind = ${KIND.NUMBER} AND key = CAST(key AS INTEGER)`, []];
  return [
    `key >= ? AND key <= ? AND kind = ${KIND.STRING} AND length(key) = ? AND substr(key, -${DIGITS}) NOT GLOB '*[^0-9]*'`,
    [`${prefix}-${'0'.repeat(DIGITS)}`, `${prefix}-${'9'.repeat(DIGITS)}`, prefix.length + 1 + DIGITS],
  ];
}

/** The row at one end of the queue, with its key in the last column. */
function edge(core: Core, prefix: string | null, side: Side): [...GetRow, Key] | undefined {
  const order = side === 'back' ? 'DESC' : 'ASC';
  const [where, params] = queueWhere(prefix);
  return core
    .prepare(
      `SELECT rowid, expire_time, mode, filename, value, tag, key FROM Cache WHERE ${where} ORDER BY key ${order} LIMIT 1`,
    )
    .raw()
    .get(...params) as [...GetRow, Key] | undefined;
}

/** How many items one queue holds (expired ones not yet removed included). */
export function queueLength(core: Core, prefix: unknown = null): number {
  const [checked] = checkQueue(prefix, undefined, 'back');
  const [where, params] = queueWhere(checked);
  return core
    .prepare(`SELECT COUNT(*) FROM Cache WHERE ${where}`)
    .pluck()
    .get(...params) as number;
}

function queueNumber(key: Key, prefix: string | null): number {
  return prefix === null ? (key as number) : Number((key as string).slice(prefix.length + 1));
}

function queueKey(n: number, prefix: string | null): Key {
  return prefix === null ? n : `${prefix}-${String(n).padStart(DIGITS, '0')}`;
}

export function push(core: Core, value: Value, options: PushOptions = {}): Key {
  const [prefix, side] = checkQueue(options.prefix, options.side, 'back');
  const kind = prefix === null ? KIND.NUMBER : KIND.STRING;
  const stored = core.disk.store(value, options.read === true);
  const filename = stored.filename;
  // storeEntry reuses the Disk's scratch record; copy it before the transaction.
  const record = { ...stored };
  try {
    return core.write(() => {
      const row = edge(core, prefix, side);
      let n = START;
      if (row !== undefined) n = queueNumber(row[6], prefix) + (side === 'back' ? 1 : -1);
      if (n < 0 || n >= LIMIT)
        throw new InvalidOptionError('side', `queue ${prefix ?? '(no prefix)'} is full at its ${side}`);
      const key = queueKey(n, prefix);
      storeEntry(core, key, kind, record, options, false);
      return key;
    });
  } catch (error) {
    if (filename !== null && core.depth === 0) core.disk.remove(filename);
    throw error;
  }
}

/** pull (remove) or peek (keep) the item at one end; expired items met on the way are removed. */
export function pull<D>(core: Core, options: PullOptions<D> = {}, remove: boolean): QueueItem | D {
  const [prefix, side] = checkQueue(options.prefix, options.side, 'front');
  for (;;) {
    const found = core.write((): QueueItem | D | typeof MISS => {
      const row = edge(core, prefix, side);
      if (row === undefined) return options.default as D;
      const expired = row[1] !== null && row[1] <= core.now();
      // Decoded inside the transaction, before the commit that removes the spill file.
      const value = expired ? MISS : decodeRow(core, row as unknown as GetRow, options.read === true);
      if (expired || remove) {
        core.s.deleteRow.run(row[0]);
        if (row[3] !== null) core.dropped.push(row[3]);
      }
      if (value === MISS) return MISS;
      return { key: row[6], value, expireTime: row[1], tag: row[5] };
    });
    if (found !== MISS) return found;
  }
}
