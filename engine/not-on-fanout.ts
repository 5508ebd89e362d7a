import { CacheStateError } from './errors.js';

/**
 * Cache methods FanoutCache deliberately lacks, as diskcache's FanoutCache
 * does, with the reason. They are not in its type, so a TypeScript call does
 * not compile; a JavaScript call gets CacheStateError saying why and what to
 * use instead, not "is not a function".
 */
const QUEUE_REASON =
  'a queue numbers its keys in one database, and FanoutCache spreads keys over shards; use a Deque (or a Cache) for a queue';
const NOT_ON_FANOUT: Record<string, string> = {
  push: QUEUE_REASON,
  pull: QUEUE_REASON,
  peek: QUEUE_REASON,
  queueLength: QUEUE_REASON,
  peekitem:
    'insertion order exists only within a shard (each numbers its own rows); use an Index, which keeps one order',
};

/** Puts on `prototype` (FanoutCache's) a method for each name above that throws the reason. */
export function refuseMethodsNotOnFanout(prototype: object): void {
  for (const [name, reason] of Object.entries(NOT_ON_FANOUT)) {
    Object.defineProperty(prototype, name, {
      value: function notOnFanout(): never {
        throw new CacheStateError(`FanoutCache has no ${name}() (nor has diskcache's): ${reason}`);
      },
      writable: true,
      configurable: true,
    });
  }
}
