import type { Disk, Key } from './disk.js';

/**
 * One key in SQLite's `ORDER BY key, kind` of a shard: the storage class
 * first (numbers, then text — strings and bigints, which are stored as their
 * digits — then bytes), then the value (numbers numerically, text by its UTF-8
 * bytes as the BINARY collation compares it, bytes with memcmp), then kind.
 */
interface SortKey {
  rank: number;
  number: number;
  bytes: Buffer | undefined;
  kind: number;
}

function sortKey(disk: Disk, key: Key): SortKey {
  const kind = disk.keyKind(key);
  const stored = disk.keyValue(key, kind);
  if (typeof stored === 'number') return { rank: 0, number: stored, bytes: undefined, kind };
  // JS compares strings by UTF-16 unit, which puts U+10000 and above before U+E000–U+FFFF; UTF-8 bytes do not.
  if (typeof stored === 'string') return { rank: 1, number: 0, bytes: Buffer.from(stored, 'utf8'), kind };
  return { rank: 2, number: 0, bytes: stored ?? Buffer.alloc(0), kind };
}

function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  const byValue =
    a.rank === 0 ? (a.number < b.number ? -1 : a.number > b.number ? 1 : 0) : Buffer.compare(a.bytes!, b.bytes!);
  return byValue !== 0 ? byValue : a.kind - b.kind;
}

interface Head {
  key: Key;
  sort: SortKey;
  rest: Iterator<Key>;
}

/**
 * Merges keys that each source yields in that order (a shard's iterkeys) into
 * one sequence in the same order, as one database holding every key would
 * list them; `reverse` when the sources yield descending. Each source is read
 * lazily, one key ahead, so the shards' paging (and changes made while
 * iterating) work as in Cache.iterkeys.
 */
export function* mergeSortedKeys(sources: Iterable<Key>[], disk: Disk, reverse: boolean): IterableIterator<Key> {
  const sign = reverse ? -1 : 1;
  const heads: Head[] = [];
  const advance = (rest: Iterator<Key>): void => {
    const step = rest.next();
    if (step.done !== true) heads.push({ key: step.value, sort: sortKey(disk, step.value), rest });
  };
  try {
    for (const source of sources) advance(source[Symbol.iterator]());
    while (heads.length > 0) {
      // A linear scan: shard counts are small (8 by default), a heap would not pay for itself.
      let best = 0;
      for (let i = 1; i < heads.length; i++)
        if (sign * compareSortKeys(heads[i]!.sort, heads[best]!.sort) < 0) best = i;
      const [head] = heads.splice(best, 1);
      // Refill before yielding: a caller that stops at this key must still find its source in
      // `heads`, so the finally below closes it too.
      advance(head!.rest);
      yield head!.key;
    }
  } finally {
    for (const head of heads) head.rest.return?.(); // the caller stopped early
  }
}
