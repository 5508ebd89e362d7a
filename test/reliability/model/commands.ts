import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { InvalidValueError, type Cache, type FanoutCache, type Key, type Value } from '../../../engine/index.js';
import { CacheModel } from './cache-model.js';

/** The system under test: a Cache or a FanoutCache, plus the clock both it and the model read. */
export interface Real {
  cache: Cache | FanoutCache;
  advance(seconds: number): void;
}

type Command = fc.Command<CacheModel, Real>;

const show = (v: unknown): string =>
  Buffer.isBuffer(v)
    ? `<${v.length} bytes>`
    : typeof v === 'bigint'
      ? `${v}n`
      : typeof v === 'string' && v.length > 12
        ? `'${v.slice(0, 6)}…'×${v.length}`
        : (JSON.stringify(v) ?? String(v));

function same(a: unknown, b: unknown): boolean {
  return typeof a === 'number' ? Object.is(a, b) : isDeepStrictEqual(a, b);
}

/** Every command ends by comparing what both sides can see cheaply. */
function compareTotals(model: CacheModel, real: Real): void {
  expect(real.cache.length, 'length (rows, expired included)').toBe(model.rows.size);
  // Exact: a mismatch means a spill file was counted wrong or the pages in use changed (see CacheModel).
  expect(real.cache.volume(), 'volume() (pages in use + spill bytes)').toBe(model.volume());
}

abstract class Base implements Command {
  check(): boolean {
    return true;
  }
  abstract apply(model: CacheModel, real: Real): void;
  run(model: CacheModel, real: Real): void {
    this.apply(model, real);
    compareTotals(model, real);
  }
  abstract toString(): string;
}

class SetCmd extends Base {
  constructor(
    readonly key: Key,
    readonly value: Value,
    readonly expire: number | undefined,
    readonly tag: string | null,
  ) {
    super();
  }
  apply(model: CacheModel, real: Real): void {
    expect(real.cache.set(this.key, this.value, { expire: this.expire, tag: this.tag })).toBe(true);
    model.set(this.key, this.value, this.expire, this.tag);
  }
  toString(): string {
    return `set(${show(this.key)}, ${show(this.value)}, expire ${this.expire}, tag ${this.tag})`;
  }
}

class AddCmd extends Base {
  constructor(
    readonly key: Key,
    readonly value: Value,
    readonly expire: number | undefined,
  ) {
    super();
  }
  apply(model: CacheModel, real: Real): void {
    expect(real.cache.add(this.key, this.value, { expire: this.expire })).toBe(
      model.add(this.key, this.value, this.expire),
    );
  }
  toString(): string {
    return `add(${show(this.key)}, ${show(this.value)}, expire ${this.expire})`;
  }
}

class GetCmd extends Base {
  constructor(readonly key: Key) {
    super();
  }
  apply(model: CacheModel, real: Real): void {
    const entry = real.cache.get(this.key, { expireTime: true, tag: true });
    const row = model.row(this.key);
    const live = model.live(row);
    expect(same(entry.value, live ? row.value : undefined), `get(${show(this.key)}) = ${show(entry.value)}`).toBe(true);
    expect([entry.expireTime, entry.tag]).toEqual(live ? [row.expireTime, row.tag] : [null, null]);
    model.read(this.key);
  }
  toString(): string {
    return `get(${show(this.key)})`;
  }
}

class DeleteCmd extends Base {
  constructor(
    readonly key: Key,
    readonly pop: boolean,
  ) {
    super();
  }
  apply(model: CacheModel, real: Real): void {
    const expected = model.liveValue(this.key);
    model.remove(this.key);
    if (this.pop) expect(same(real.cache.pop(this.key), expected)).toBe(true);
    else expect(real.cache.delete(this.key)).toBe(expected !== undefined);
  }
  toString(): string {
    return `${this.pop ? 'pop' : 'delete'}(${show(this.key)})`;
  }
}

class IncrCmd extends Base {
  constructor(
    readonly key: Key,
    readonly delta: number,
  ) {
    super();
  }
  apply(model: CacheModel, real: Real): void {
    const expected = model.incr(this.key, this.delta);
    if (expected === 'error') expect(() => real.cache.incr(this.key, this.delta)).toThrow(InvalidValueError);
    else expect(real.cache.incr(this.key, this.delta)).toBe(expected);
  }
  toString(): string {
    return `incr(${show(this.key)}, ${this.delta})`;
  }
}

class TouchCmd extends Base {
  constructor(
    readonly key: Key,
    readonly expire: number | null,
  ) {
    super();
  }
  apply(model: CacheModel, real: Real): void {
    expect(real.cache.touch(this.key, this.expire)).toBe(model.touch(this.key, this.expire));
  }
  toString(): string {
    return `touch(${show(this.key)}, ${this.expire})`;
  }
}

/** expire(), cull() (expired rows, then by policy while over sizeLimit), evict(tag), clear(). */
class BulkCmd extends Base {
  constructor(
    readonly op: 'expire' | 'cull' | 'evict' | 'clear',
    readonly tag: string,
  ) {
    super();
  }
  apply(model: CacheModel, real: Real): void {
    const c = real.cache;
    switch (this.op) {
      case 'expire':
        expect(c.expire()).toBe(model.removeWhere((row) => !model.live(row)));
        break;
      case 'cull':
        expect(c.cull()).toBe(model.cull());
        break;
      case 'evict':
        expect(c.evict(this.tag)).toBe(model.removeWhere((row) => row.tag === this.tag));
        break;
      case 'clear':
        expect(c.clear()).toBe(model.removeWhere(() => true));
    }
  }
  toString(): string {
    return this.op === 'evict' ? `evict(${this.tag})` : `${this.op}()`;
  }
}

class AdvanceCmd extends Base {
  constructor(readonly seconds: number) {
    super();
  }
  apply(model: CacheModel, real: Real): void {
    model.now += this.seconds;
    real.advance(this.seconds);
  }
  toString(): string {
    return `advance(${this.seconds})`;
  }
}

class KeysCmd extends Base {
  apply(model: CacheModel, real: Real): void {
    expect([...real.cache.keys()].map(CacheModel.id)).toEqual(model.liveKeys().map(CacheModel.id));
  }
  toString(): string {
    return 'keys()';
  }
}

/** Several writes in one transact; with `fail`, fn throws at the end and none of them may remain. */
class TransactCmd extends Base {
  constructor(
    readonly inner: Base[],
    readonly fail: boolean,
  ) {
    super();
  }
  apply(model: CacheModel, real: Real): void {
    const scratch = model.clone();
    const boom = new Error('rolled back on purpose');
    const run = () =>
      real.cache.transact(() => {
        for (const command of this.inner) command.apply(scratch, real);
        if (this.fail) throw boom;
      });
    if (this.fail) expect(run).toThrow(boom);
    else {
      run();
      model.adopt(scratch);
    }
  }
  toString(): string {
    return `transact${this.fail ? '-and-throw' : ''}[${this.inner.map(String).join('; ')}]`;
  }
}

const keys = fc.constantFrom<Key>('a', 'b', 'c', 0, -0, 7, 2n, Buffer.from('a'));
const values = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom<Value>('v', 'w'.repeat(300), { j: [1, 'x'] }, Buffer.alloc(200, 9), null, true, -0, NaN),
);
/** Mostly spilled values (150, 200, 300 bytes, with diskMinFileSize 128), so a small size limit is often reached. */
const bigValues = fc.oneof(
  { arbitrary: values, weight: 1 },
  { arbitrary: fc.constantFrom<Value>('w'.repeat(300), Buffer.alloc(200, 9), { j: 'x'.repeat(142) }), weight: 2 },
);
const tags = fc.constantFrom<string | null>(null, 't1', 't2');

/**
 * What a run may do. `expiry: false` for runs with a small cullLimit, where
 * the model cannot tell which expired rows a write culls; `bigValues` for runs
 * with a small size limit.
 */
export interface CommandSet {
  expiry: boolean;
  bigValues?: boolean;
}

function writes({ expiry, bigValues: big = false }: CommandSet): fc.Arbitrary<Base>[] {
  const expires = expiry ? fc.constantFrom<number | undefined>(undefined, 0, 0.5, 1, 3, -1) : fc.constant(undefined);
  const stored = big ? bigValues : values;
  return [
    fc.tuple(keys, stored, expires, tags).map(([k, v, e, t]) => new SetCmd(k, v, e, t)),
    fc.tuple(keys, stored, expires).map(([k, v, e]) => new AddCmd(k, v, e)),
    fc.tuple(keys, fc.integer({ min: -3, max: 3 })).map(([k, d]) => new IncrCmd(k, d)),
    fc.tuple(keys, fc.boolean()).map(([k, pop]) => new DeleteCmd(k, pop)),
  ];
}

/** The command arbitraries of one model run. */
export function commandArbitraries(set: CommandSet = { expiry: true }): fc.Arbitrary<Command>[] {
  const write = writes(set);
  const touches = set.expiry ? fc.constantFrom<number | null>(null, 1, 2, -1) : fc.constant(null);
  return [
    ...write,
    ...write,
    keys.map((k) => new GetCmd(k)),
    keys.map((k) => new GetCmd(k)),
    fc.tuple(keys, touches).map(([k, e]) => new TouchCmd(k, e)),
    fc
      .tuple(
        fc.constantFrom('expire', 'cull', 'evict', 'clear') as fc.Arbitrary<BulkCmd['op']>,
        fc.constantFrom('t1', 't2'),
      )
      .map(([op, t]) => new BulkCmd(op, t)),
    fc.constantFrom(0.25, 0.5, 1, 2).map((s) => new AdvanceCmd(s)),
    fc.constantFrom(0.5, 1).map((s) => new AdvanceCmd(s)),
    fc.constant(new KeysCmd()),
    fc
      .tuple(fc.array(fc.oneof(...write), { minLength: 1, maxLength: 4 }), fc.boolean())
      .map(([inner, fail]) => new TransactCmd(inner, fail)),
  ];
}
