import { basename, dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expectedValue, parseOp, type Op } from '../fixtures/crash-ops.js';
import type { FaultStore } from '../fixtures/fault-store.js';
import type { IoEvent } from './io-log-parse.js';

/** An op of the workload and where, among the I/O events, it began and returned. */
export interface LoggedOp {
  op: Op;
  began: number;
  acked?: number;
  /** Folders of the SQLite files the op wrote (a FanoutCache shard's), or of any file it wrote. */
  dirs: Set<string>;
}

/** The workload's ops, from the marker records (`B <op>`, `E <index> <result>`) in the I/O log. */
export function loggedOps(events: readonly IoEvent[]): LoggedOp[] {
  const ops: LoggedOp[] = [];
  let open: LoggedOp | undefined;
  events.forEach((event, index) => {
    if (event.kind === 'write' && open !== undefined) {
      open.dirs.add(basename(event.path).startsWith('cache.db') ? dirname(event.path) : '');
    }
    if (event.kind !== 'mark') return;
    for (const line of event.text.split('\n').filter(Boolean)) {
      const fields = line.split(' ');
      if (fields[0] === 'B') ops.push((open = { op: parseOp(fields.slice(1)), began: index, dirs: new Set() }));
      else if (fields[0] === 'E' && open !== undefined) {
        open.acked = index;
        open = undefined;
      }
    }
  });
  for (const o of ops) o.dirs.delete('');
  return ops;
}

export interface StateVerdict {
  /** Acknowledged writes the label promises that are missing or older, and values no op wrote. */
  problems: string[];
  /** Acknowledged writes missing where the label allows the loss (after the last sync point). */
  lostAllowed: number;
  /** Untyped errors from reads. */
  untyped: string[];
}

const DAMAGED = Symbol('typed read error');

/**
 * Checks a store opened on a crash state: `point` is where the power went,
 * `durableBefore(op)` the event index before which the op, if acknowledged,
 * must have survived (the point itself for fsync-per-write, the last sync of
 * its database for fsync-at-checkpoint, -1 when nothing is promised).
 */
export function verifyState(
  store: FaultStore,
  ops: readonly LoggedOp[],
  point: number,
  durableBefore: (op: LoggedOp) => number,
  typed: (error: unknown) => boolean,
): StateVerdict {
  const verdict: StateVerdict = { problems: [], lostAllowed: 0, untyped: [] };
  const started = ops.filter((o) => o.began < point);
  const read = (key: string): unknown => {
    try {
      return store.get(key);
    } catch (error) {
      if (typed(error)) return DAMAGED;
      verdict.untyped.push(`${key}: ${String(error)}`);
      return DAMAGED;
    }
  };
  const byKey = new Map<string, LoggedOp[]>();
  for (const o of started) if (o.op.kind !== 'incr') byKey.set(o.op.key, [...(byKey.get(o.op.key) ?? []), o]);
  for (const [key, writes] of byKey) {
    const value = read(key);
    const requiredAt = writes.findLastIndex((w) => w.acked !== undefined && w.acked < durableBefore(w));
    const allowed = writes.slice(requiredAt < 0 ? 0 : requiredAt).map((w) => expectedValue(w.op));
    if (allowed.some((v) => isDeepStrictEqual(v, value))) continue;
    const lastAcked = writes.findLast((w) => w.acked !== undefined && w.acked < point);
    const written = writes.some((w) => isDeepStrictEqual(expectedValue(w.op), value));
    if (value !== DAMAGED && value !== undefined && !written) {
      verdict.problems.push(`${key}: holds a value no op wrote`);
    } else if (requiredAt >= 0) {
      const what = value === DAMAGED ? 'a typed read error' : value === undefined ? 'nothing' : 'an older value';
      verdict.problems.push(
        `${key}: op ${writes[requiredAt]!.op.index} was acknowledged before the sync point, read back ${what}`,
      );
    } else if (lastAcked !== undefined) {
      // Missing, damaged (a typed error) or older, and allowed: nothing was due yet.
      verdict.lostAllowed++;
    }
  }
  const incrs = started.filter((o) => o.op.kind === 'incr');
  if (incrs.length > 0) {
    const raw = read(incrs[0]!.op.key);
    const counter = raw === undefined ? 0 : raw;
    const low = incrs.filter((o) => o.acked !== undefined && o.acked < durableBefore(o)).length;
    const acked = incrs.filter((o) => o.acked !== undefined && o.acked < point).length;
    if (counter === DAMAGED || typeof counter !== 'number' || counter > incrs.length) {
      if (low > 0 || (counter !== DAMAGED && typeof counter === 'number'))
        verdict.problems.push(`counter: read ${String(counter)}, between ${low} and ${incrs.length} expected`);
    } else if (counter < low)
      verdict.problems.push(`counter: ${counter}, but ${low} increments were acknowledged before the sync point`);
    else if (counter < acked) verdict.lostAllowed++;
  }
  return verdict;
}
