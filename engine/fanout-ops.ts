import { checkTransactFn } from './arguments.js';
import type { Cache } from './cache.js';
import type { Disk, Key } from './disk.js';
import { CacheTimeoutError } from './errors.js';
import type { Stats, StatsOptions } from './maintenance.js';
import { linearPauses, withRetries, type RetryPolicy } from './with-retries.js';
import { addWriteTimes, emptyWriteTimes } from './write-timing.js';

export interface ShardStats extends Stats {
  /** Operations of this process given up on this shard's lock since open (or the last reset). */
  timeouts: number;
}

export interface FanoutStats extends ShardStats {
  shards: ShardStats[];
}

/** Aggregates over all shards retry timeouts for this long before giving up with CacheTimeoutError. */
const RETRY_SECONDS = 60;
const isTimeout = (error: unknown): boolean => error instanceof CacheTimeoutError;
/** Pauses of 1 ms growing by 1 ms a try up to 20 ms (retryBusy's grow by 2 up to 50): FanoutCache's schedule as it was. */
const SHARD_RETRY: RetryPolicy = { retryable: isTimeout, seconds: RETRY_SECONDS, pauseMs: linearPauses(1, 20) };

/**
 * The shard plumbing of FanoutCache: timeout accounting and the operations
 * that visit every shard. Single-key operations give up on a timeout (that is
 * the point of a short timeout); whole-cache ones (clear, expire, stats, …)
 * retry until done, as diskcache does with retry=True.
 */
export class ShardedOps {
  /** Running count of operations given up on a lock; cheap to read before and after an operation. */
  timeouts = 0;
  /** The same, per shard. */
  readonly shardTimeouts: number[];
  /** Shard 0's serialiser: its key encoding decides the shard. */
  readonly disk: Disk;

  constructor(
    protected readonly shards: readonly Cache[],
    readonly timeout: number,
  ) {
    this.shardTimeouts = shards.map(() => 0);
    this.disk = shards[0]!.disk;
  }

  /** The cache clock in seconds (shard 0's; every shard gets the same `now` option). */
  clock(): number {
    return this.shards[0]!.clock();
  }

  /** Counts a CacheTimeoutError against shard `index` and returns `fallback`; throws anything else, explained. */
  protected absorb<T>(error: unknown, index: number, fallback: T): T {
    if (!(error instanceof CacheTimeoutError)) throw this.explain(error);
    this.timeouts++;
    this.shardTimeouts[index]!++;
    return fallback;
  }

  /** What a shard's error means for the whole cache (FanoutCache names a layout that changed); by default itself. */
  protected explain(error: unknown): unknown {
    return error;
  }

  /** Runs fn again while it times out, with a growing, jittered pause, up to RETRY_SECONDS. */
  protected retry<T>(fn: () => T): T {
    try {
      return withRetries(fn, SHARD_RETRY);
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** The items `source()` gives, with an error raised while starting or reading them explained. */
  protected *explained<T>(source: () => Iterable<T>): IterableIterator<T> {
    let iterator: Iterator<T>;
    try {
      iterator = source()[Symbol.iterator](); // a shard prepares its statement here, before the first item
    } catch (error) {
      throw this.explain(error);
    }
    try {
      for (;;) {
        let step: IteratorResult<T>;
        try {
          step = iterator.next();
        } catch (error) {
          throw this.explain(error);
        }
        if (step.done === true) return;
        yield step.value;
      }
    } finally {
      iterator.return?.(); // the caller stopped early: let the shard's iterator end too
    }
  }

  private sum(fn: (shard: Cache) => number): number {
    let total = 0;
    for (const shard of this.shards) total += this.retry(() => fn(shard));
    return total;
  }

  /** Rows over all shards (expired ones count until culled, as in Cache). */
  get length(): number {
    return this.sum((shard) => shard.length);
  }

  volume(): number {
    return this.sum((shard) => shard.volume());
  }

  expire(now?: number): number {
    return this.sum((shard) => shard.expire(now));
  }

  evict(tag: string): number {
    return this.sum((shard) => shard.evict(tag));
  }

  clear(): number {
    return this.sum((shard) => shard.clear());
  }

  cull(): number {
    return this.sum((shard) => shard.cull());
  }

  /** Live keys, shard by shard (insertion order within a shard). */
  *keys(): IterableIterator<Key> {
    for (const shard of this.shards) yield* this.explained(() => shard.keys());
  }

  [Symbol.iterator](): IterableIterator<Key> {
    return this.keys();
  }

  /**
   * Runs fn holding every shard's write lock (taken in shard order, so two
   * callers cannot deadlock), retrying while a lock cannot be had. A timeout
   * inside fn itself is not retried: fn may have had effects.
   */
  transact<T>(fn: () => T): T {
    checkTransactFn(fn);
    let started = false;
    const enter = (i: number): T =>
      i === this.shards.length ? ((started = true), fn()) : this.shards[i]!.transact(() => enter(i + 1));
    try {
      return withRetries(() => enter(0), { ...SHARD_RETRY, retryable: (error) => !started && isTimeout(error) });
    } catch (error) {
      throw started ? error : this.explain(error); // an error of fn's own (or one its operations explained) is passed on as is
    }
  }

  /** Hits and misses (counted by the shards when `statistics` is on) and this process's timeouts, per shard and in total. */
  protected shardStats(options: StatsOptions): FanoutStats {
    const shards = this.shards.map((shard, i) => {
      const { hits, misses, evictions, writes } = this.retry(() => shard.stats(options));
      const timeouts = this.shardTimeouts[i]!;
      if (options.reset === true) this.shardTimeouts[i] = 0;
      return { hits, misses, evictions, timeouts, writes };
    });
    if (options.reset === true) this.timeouts = 0;
    const total = (field: 'hits' | 'misses' | 'evictions' | 'timeouts') => shards.reduce((sum, s) => sum + s[field], 0);
    const writes = shards.reduce((sum, s) => addWriteTimes(sum, s.writes), emptyWriteTimes());
    return {
      hits: total('hits'),
      misses: total('misses'),
      evictions: total('evictions'),
      timeouts: total('timeouts'),
      writes,
      shards,
    };
  }

  close(): void {
    for (const shard of this.shards) shard.close();
  }
}
