import { describe, expect, it } from 'vitest';
import { barrier, InvalidOptionError, memoizeStampede, throttle } from '../../engine/index.js';
import { openCache } from './helpers.js';

/** Two "modules", each with its own function named load. */
const users = {
  load: function load(id: number) {
    return `user:${id}`;
  },
};
const orders = {
  load: function load(id: number) {
    return `order:${id}`;
  },
};

function nameError(fn: () => unknown): InvalidOptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    return error as InvalidOptionError;
  }
  throw new Error('expected InvalidOptionError');
}

describe('memoize keys identify the function', () => {
  it('a function with only its bare name is refused, naming the option', () => {
    const cache = openCache();
    const error = nameError(() => cache.memoize(users.load));
    expect(error.option).toBe('name');
    expect(error.message).toMatch(/needs \{ name: '<module>\.load' \}/);
  });

  it('two functions named load under their own names never answer each other', () => {
    const cache = openCache();
    const userLoad = cache.memoize(users.load, { name: 'users.load' });
    const orderLoad = cache.memoize(orders.load, { name: 'orders.load' });
    expect(userLoad(1)).toBe('user:1');
    expect(orderLoad(1)).toBe('order:1');
  });

  it('bound and anonymous functions are refused too', () => {
    const cache = openCache();
    const repo = {
      prefix: 'r',
      get(id: number) {
        return `${this.prefix}${id}`;
      },
    };
    expect(nameError(() => cache.memoize(repo.get.bind(repo))).message).toMatch(/fn\.name is 'bound get'/);
    expect(nameError(() => cache.memoize((x: number) => x)).option).toBe('name');
  });

  it('barrier, throttle and memoizeStampede need a name for their keys as well', () => {
    const cache = openCache();
    expect(nameError(() => barrier(cache, users.load)).message).toMatch(/^option name: barrier needs/);
    expect(nameError(() => throttle(cache, users.load, 1, 1)).message).toMatch(/^option name: throttle needs/);
    expect(nameError(() => memoizeStampede(cache, users.load, { expire: 1 })).message).toMatch(
      /^option name: memoizeStampede needs/,
    );
    expect(nameError(() => throttle(cache, users.load, 1, 1, { name: 5 as never })).message).toMatch(
      /non-empty string/,
    );
  });
});
