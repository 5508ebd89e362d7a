import type { StoreOptions } from './arguments.js';
import type { Cache } from './cache.js';
import type { Counter } from './counter.js';
import type { Key, Value } from './disk.js';
import { answer, MISS, type GetOptions } from './store.js';

/** A single-key operation of FanoutCache: what it does on a shard, and what it returns when the shard's lock times out. */
export interface ShardOp<A, B, T> {
  run(shard: Cache, key: Key, a: A, b: B): T;
  timedOut(a: A): T;
}

const no = (): false => false;
const nothing = (): undefined => undefined;
/** get and pop time out as a miss: the default, in the entry form when one was asked for. */
const missed = (options: GetOptions<unknown> | undefined): unknown => answer(options ?? {}, MISS, undefined);

export const SET: ShardOp<Value, StoreOptions | undefined, boolean> = {
  run: (shard, key, value, options) => shard.set(key, value, options),
  timedOut: no,
};
export const ADD: ShardOp<Value, StoreOptions | undefined, boolean> = {
  run: (shard, key, value, options) => shard.add(key, value, options),
  timedOut: no,
};
export const GET: ShardOp<GetOptions<unknown> | undefined, undefined, unknown> = {
  // Without options Cache.get takes its hot path.
  run: (shard, key, options) => (options === undefined ? shard.get(key) : shard.get(key, options)),
  timedOut: missed,
};
export const FILE_PATH: ShardOp<undefined, undefined, string | undefined> = {
  run: (shard, key) => shard.filePath(key),
  timedOut: nothing,
};
export const HAS: ShardOp<undefined, undefined, boolean> = { run: (shard, key) => shard.has(key), timedOut: no };
export const DELETE: ShardOp<undefined, undefined, boolean> = { run: (shard, key) => shard.delete(key), timedOut: no };
export const POP: ShardOp<GetOptions<unknown>, undefined, unknown> = {
  run: (shard, key, options) => shard.pop(key, options),
  timedOut: missed,
};
export const TOUCH: ShardOp<number | null, undefined, boolean> = {
  run: (shard, key, expire) => shard.touch(key, expire),
  timedOut: no,
};
// Cache's overloads take a number or a bigint delta, not the union: the casts pick one; Cache checks the real types.
export const INCR: ShardOp<Counter, { default?: Counter | null } | undefined, Counter | null> = {
  run: (shard, key, delta, options) => shard.incr(key, delta as number, options as { default?: number | null }),
  timedOut: () => null,
};
export const DECR: ShardOp<Counter, { default?: Counter | null } | undefined, Counter | null> = {
  run: (shard, key, delta, options) => shard.decr(key, delta as number, options as { default?: number | null }),
  timedOut: () => null,
};
