import { readdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Cache, Deque, FanoutCache, Index, InvalidOptionError } from '../../engine/index.js';
import { METHOD_OPTIONS, type OptionsMethod } from '../../engine/method-options.js';
import { fakeClock, openCache, tempDir } from './helpers.js';

const closers: { close(): void }[] = [];
afterEach(() => {
  for (const c of closers.splice(0)) c.close();
});

/** The InvalidOptionError `fn` throws (fails the test when it throws nothing or something else). */
function optionError(fn: () => unknown): InvalidOptionError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionError);
    return error as InvalidOptionError;
  }
  throw new Error('expected an InvalidOptionError, nothing was thrown');
}

const square = (x: number): number => x * x;

/** One call per method that takes options, with `options` in the options place. */
function callsWith(cache: Cache, options: never): Record<OptionsMethod, () => unknown> {
  return {
    set: () => cache.set('k', 1, options),
    add: () => cache.add('k2', 1, options),
    setMany: () => cache.setMany([['m', 1]], options),
    setStream: () => cache.setStream('s', Readable.from([Buffer.from('x')]), options),
    push: () => cache.push(1, options),
    get: () => cache.get('k', options),
    pop: () => cache.pop('k', options),
    getMany: () => cache.getMany(['k'], options),
    pull: () => cache.pull(options),
    peek: () => cache.peek(options),
    queueLength: () => cache.queueLength(options),
    incr: () => cache.incr('n', 1, options),
    decr: () => cache.decr('n', 1, options),
    check: () => cache.check(options),
    stats: () => cache.stats(options),
    peekitem: () => cache.peekitem(true, options),
    memoize: () => cache.memoize(square, options),
    'Deque.fromCache': () => Deque.fromCache(cache, options),
  };
}

describe('per-method option keys', () => {
  it('every method with options refuses an unknown key, naming it and the method, and changes nothing', () => {
    const cache = openCache();
    cache.set('k', 'kept');
    cache.push('queued');
    const calls = callsWith(cache, { bogus: 1 } as never);
    // Every method in the table has a call here: a method added there must be added here too.
    expect(Object.keys(calls).sort()).toEqual(Object.keys(METHOD_OPTIONS).sort());
    for (const [method, call] of Object.entries(calls)) {
      const error = optionError(call);
      expect(error.option, method).toBe('bogus');
      expect(error.message, method).toContain(`unknown option of ${method}()`);
    }
    expect(cache.get('k')).toBe('kept'); // pop did not remove it
    expect(cache.queueLength()).toBe(1); // pull did not take the item
    expect([...cache.keys()].sort()).toEqual(['k', 500_000_000_000_000].sort() as never);
  });

  it('a misspelt key gets a did-you-mean hint and is not ignored', () => {
    const clock = fakeClock();
    const cache = openCache({ now: clock.now });
    expect(optionError(() => cache.set('a', 1, { expires: 60 } as never)).message).toMatch(/did you mean expire\?/);
    expect(cache.has('a')).toBe(false); // nothing stored that would never expire
    cache.set('a', 1);
    expect(optionError(() => cache.get('a', { defualt: 5 } as never)).message).toMatch(/did you mean default\?/);
    expect(optionError(() => cache.get('zz', { expiretime: true } as never)).message).toMatch(
      /did you mean expireTime\?/,
    );
    expect(optionError(() => cache.check({ fixx: true } as never)).message).toMatch(/did you mean fix\?/);
    expect(optionError(() => cache.pull({ prefx: 'q' } as never)).message).toMatch(/did you mean prefix\?/);
  });

  it('option values of the wrong type are refused, not read as false or absent', () => {
    const cache = openCache();
    cache.set('a', 1);
    for (const [call, option] of [
      [() => cache.get('a', { expireTime: 1 } as never), 'expireTime'],
      [() => cache.get('a', { tag: 'yes' } as never), 'tag'],
      [() => cache.set('b', Buffer.from('x'), { read: 'true' } as never), 'read'],
      [() => cache.check({ fix: 'yes' } as never), 'fix'],
      [() => cache.check({ orphanAge: '10' } as never), 'orphanAge'],
      [() => cache.check({ orphanAge: -1 }), 'orphanAge'],
      [() => cache.stats({ reset: 1 } as never), 'reset'],
      [() => cache.pull({ side: 'left' } as never), 'side'],
      [() => cache.incr('n', 1, { default: '0' } as never), 'default'],
      [() => cache.memoize(square, { name: '' }), 'name'],
    ] as const) {
      const error = optionError(call);
      expect(error.option).toBe(option);
      expect(error.message).toMatch(/expected .*, got /);
    }
    expect(cache.has('b')).toBe(false);
    expect(cache.has('n')).toBe(false);
  });

  it('an option set to undefined counts as not given', () => {
    const cache = openCache();
    expect(cache.set('a', 1, { expire: undefined, tag: undefined })).toBe(true);
    expect(cache.get('a', { default: undefined, expireTime: undefined })).toBe(1);
    expect(cache.check({ fix: undefined })).toEqual([]);
  });

  it('a refused set leaves no spill file behind', () => {
    const dir = tempDir();
    const cache = openCache({ diskMinFileSize: 16 }, dir);
    optionError(() => cache.set('big', 'x'.repeat(100), { expires: 1 } as never));
    expect(readdirSync(dir).filter((name) => /^[0-9a-f]{2}$/.test(name))).toEqual([]);
  });
});

describe('positional options (diskcache style) are refused, showing the object to pass instead', () => {
  it('memoize(fn, 60) is refused with { expire: 60 } suggested', () => {
    const cache = openCache();
    const error = optionError(() => cache.memoize(square, 60 as never));
    expect(error.message).toContain('memoize() takes an options object such as { expire: 60 }, not number 60');
  });

  it('suggests the option that diskcache takes in that place, or an example when the value would not fit it', () => {
    const cache = openCache();
    expect(optionError(() => cache.set('a', 1, 60 as never)).message).toContain('such as { expire: 60 }');
    expect(optionError(() => cache.get('a', 7 as never)).message).toContain('such as { default: 7 }');
    expect(optionError(() => cache.pull('mail' as never)).message).toContain("such as { prefix: 'mail' }");
    expect(optionError(() => cache.check(true as never)).message).toContain('such as { fix: true }');
    expect(optionError(() => cache.set('a', 1, 'soon' as never)).message).toContain(
      "such as { expire: 60 }, not string 'soon'",
    );
    expect(optionError(() => cache.get('a', [1] as never)).message).toContain('not an array');
  });
});

describe('option checks reach every front end', () => {
  it('FanoutCache forwards options to its shards, which check them', () => {
    const fanout = new FanoutCache(tempDir(), { shards: 2 });
    closers.push(fanout);
    expect(optionError(() => fanout.set('a', 1, { expires: 60 } as never)).message).toMatch(/did you mean expire\?/);
    expect(fanout.has('a')).toBe(false);
    fanout.set('a', 1, { expire: 60, tag: 't' });
    expect(fanout.get('a', { expireTime: true, tag: true })).toMatchObject({ value: 1, tag: 't' });
    optionError(() => fanout.get('a', { defualt: 5 } as never));
    optionError(() => fanout.pop('a', { defualt: 5 } as never));
    optionError(() => fanout.incr('n', 1, { start: 5 } as never));
    optionError(() => fanout.getMany([], { defualt: 5 } as never));
    optionError(() => fanout.check({ fix: 'yes' } as never));
    optionError(() => fanout.stats({ enabled: true } as never));
    expect(optionError(() => fanout.memoize(square, 60 as never)).message).toContain('such as { expire: 60 }');
    expect(fanout.get('a')).toBe(1);
  });

  it('Deque and Index refuse options that are not an object, and unknown fromCache options', () => {
    const dir = tempDir();
    expect(optionError(() => new Deque(dir, 5 as never)).message).toMatch(
      /new Deque\(directory, options\) takes an options object/,
    );
    expect(optionError(() => new Index(dir, 5 as never)).message).toMatch(
      /new Index\(directory, options\) takes an options object/,
    );
    expect(optionError(() => new Deque(dir, { maxln: 2 } as never)).message).toMatch(/did you mean maxlen\?/);
    const cache = openCache();
    expect(optionError(() => Deque.fromCache(cache, { maxln: 2 } as never)).message).toMatch(/did you mean maxlen\?/);
    const deque = new Deque(tempDir(), null as never); // null means none, as everywhere
    closers.push(deque);
    deque.append(1);
    expect(deque.toArray()).toEqual([1]);
  });
});
