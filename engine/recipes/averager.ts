import type { Key } from '../disk.js';
import { CacheStateError, InvalidOptionError } from '../errors.js';
import { checkKey, type RecipeCache, type RecipeOptions } from './recipe-cache.js';

const ABSENT = Symbol('absent');

/**
 * A running average shared by every process using the cache, as diskcache's
 * recipes.Averager: the key holds `[total, count]`; add() updates both in one
 * transaction, get() and pop() answer total / count, or null when nothing was
 * added.
 */
export class Averager {
  constructor(
    readonly cache: RecipeCache,
    readonly key: Key,
    readonly options: RecipeOptions = {},
  ) {
    checkKey(key);
  }

  /** Adds a finite number to the average. */
  add(value: number): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new InvalidOptionError(
        'value',
        `Averager.add takes a finite number, got ${typeof value === 'number' ? String(value) : typeof value}`,
      );
    }
    this.cache.transact(() => {
      const [total, count] = this.state();
      // 0 + -0 is 0: a total of -0 would not survive as JSON data.
      this.cache.set(this.key, [total + value + 0, count + 1], this.options);
    });
  }

  /** The average so far, or null when nothing was added. */
  get(): number | null {
    return average(this.state());
  }

  /** The average so far, removing it (the next add starts afresh); null when nothing was added. */
  pop(): number | null {
    return this.cache.transact(() => {
      const state = this.state();
      this.cache.delete(this.key);
      return average(state);
    });
  }

  private state(): [number, number] {
    const stored = this.cache.get(this.key, { default: ABSENT });
    if (stored === ABSENT) return [0, 0];
    if (Array.isArray(stored) && stored.length === 2 && typeof stored[0] === 'number' && Number.isInteger(stored[1]))
      return stored as [number, number];
    throw new CacheStateError(
      `Averager key ${String(this.key)} holds something other than [total, count]; give the Averager a key of its own`,
    );
  }
}

function average([total, count]: [number, number]): number | null {
  return count === 0 ? null : total / count;
}
