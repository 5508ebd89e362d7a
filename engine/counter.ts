import type { Core } from './core.js';
import type { GetRow } from './statements.js';
import { hasTooManyDigits, tooManyDigitsDetail } from './bigint-digits.js';
import { MODE, type Key } from './disk.js';
import { CounterOverflowError, InvalidOptionError, InvalidValueError, MissingKeyError } from './errors.js';
import { alive } from './store.js';

/**
 * incr/decr arithmetic. No increment may be lost silently (a JavaScript
 * number has 53 bits of integer precision, where diskcache's Python ints are
 * unbounded), so:
 * - number counters: integer + integer must give a safe integer
 *   (|n| ≤ 2^53 − 1), else CounterOverflowError; with a fraction involved the
 *   sum rounds as any float sum does, but one that leaves the counter
 *   unchanged (the delta vanished) or is not finite is CounterOverflowError;
 * - bigint counters (a bigint value, or a bigint delta) are exact at any size;
 *   a bigint delta turns an integer number counter into a bigint one.
 * The counter is left as it was whenever an error is thrown.
 */
export type Counter = number | bigint;

function checkDelta(delta: unknown): asserts delta is Counter {
  if (typeof delta === 'bigint') return;
  if (typeof delta !== 'number' || !Number.isFinite(delta)) {
    throw new InvalidOptionError(
      'delta',
      `expected a finite number or a bigint, got ${typeof delta === 'string' ? JSON.stringify(delta) : String(delta)}`,
    );
  }
}

function checkInitial(initial: unknown, delta: Counter): asserts initial is Counter | null {
  if (initial === null || (typeof initial === 'number' && Number.isFinite(initial))) return;
  if (typeof initial === 'bigint') {
    if (typeof delta === 'bigint') return;
    throw new InvalidOptionError(
      'default',
      'a bigint default needs a bigint delta (incr(key, 1n, { default: 0n })): a number delta answers a number',
    );
  }
  throw new InvalidOptionError('default', `expected a finite number, a bigint or null, got ${String(initial)}`);
}

/** decr's delta, checked before it is negated: -'1' would silently turn a string into a number. */
export function negate(delta: unknown): Counter {
  checkDelta(delta);
  return -delta;
}

/** value + delta for number counters, refusing a sum that would lose the increment. */
function addNumbers(value: number, delta: number, operation: string): number {
  const next = value + delta;
  if (Number.isInteger(value) && Number.isInteger(delta)) {
    if (delta !== 0 && !Number.isSafeInteger(next)) {
      // adding 0 loses nothing, whatever the value
      throw new CounterOverflowError(
        operation,
        `${value} + ${delta} is past ±(2^53 − 1), where numbers stop counting exactly; ` +
          `pass a bigint delta (${operation}(key, 1n)) to turn this counter into an exact bigint`,
      );
    }
  } else if (!Number.isFinite(next) || (delta !== 0 && next === value)) {
    throw new CounterOverflowError(
      operation,
      `${value} + ${delta} ${Number.isFinite(next) ? 'leaves the value unchanged (the delta is below its precision)' : 'is not finite'}; ` +
        'use a smaller counter, a larger delta, or bigint counters',
    );
  }
  return next;
}

/** value + delta when either is a bigint: exact, or an error when a number cannot join exactly. */
function addBigints(value: Counter, delta: Counter, operation: string): bigint {
  if (typeof delta !== 'bigint') {
    throw new InvalidValueError(
      `${operation}: this key holds a bigint counter; pass a bigint delta (${operation}(key, 1n)) so the answer stays exact`,
    );
  }
  if (typeof value === 'number' && !Number.isInteger(value)) {
    throw new InvalidValueError(`${operation}: a bigint delta needs an integer counter (and default); got ${value}`);
  }
  return BigInt(value) + delta;
}

function add(value: Counter, delta: Counter, operation: string): Counter {
  return typeof value === 'number' && typeof delta === 'number'
    ? addNumbers(value, delta, operation)
    : addBigints(value, delta, operation);
}

/**
 * The stored form of a counter: [mode, value]; a bigint is kept as its decimal
 * text, as Disk stores one, so an answer past Disk's digit limit is refused.
 */
function stored(counter: Counter, operation: string): [number, number | string] {
  if (typeof counter !== 'bigint') return [MODE.NUMBER, counter];
  if (hasTooManyDigits(counter)) throw new CounterOverflowError(operation, tooManyDigitsDetail());
  return [MODE.BIGINT, counter.toString()];
}

/** incr/decr: atomic add on a number or bigint value; a missing or expired key starts from `initial`. */
export function incrEntry(core: Core, key: Key, delta: Counter, initial: Counter | null, operation = 'incr'): Counter {
  checkDelta(delta);
  checkInitial(initial, delta);
  const kind = core.disk.keyKind(key);
  const dbKey = core.disk.keyValue(key, kind);
  return core.write(() => {
    const s = core.s;
    const row = s.get.get(dbKey, kind) as GetRow | undefined;
    const now = core.now();
    if (alive(row, core)) {
      const mode = row[2];
      if ((mode !== MODE.NUMBER && mode !== MODE.BIGINT) || row[3] !== null) {
        throw new InvalidValueError(
          `${operation} needs a number or bigint value; this key holds a value of another type`,
        );
      }
      const value = mode === MODE.BIGINT ? BigInt(row[4] as string) : (row[4] as number);
      const next = add(value, delta, operation);
      const [nextMode, nextValue] = stored(next, operation);
      if (core.policy.getBindsNow) s.setCounter.run(nextMode, nextValue, now, now, row[0]);
      else s.setCounter.run(nextMode, nextValue, now, row[0]);
      return next;
    }
    if (initial === null) throw new MissingKeyError(operation);
    const next = add(initial, delta, operation);
    const [mode, value] = stored(next, operation);
    if (row !== undefined) {
      s.update.run(now, null, now, null, 0, mode, null, value, 0, row[0]);
      if (row[3] !== null) core.dropped.push(row[3]);
      core.cull(now, row[0]);
    } else {
      const { lastInsertRowid } = s.insert.run(dbKey, kind, now, null, now, null, 0, mode, null, value, 0);
      core.cull(now, Number(lastInsertRowid));
    }
    return next;
  });
}
