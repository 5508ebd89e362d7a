import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { expectedValue, ownCounter, pairKeys, parseOp, SHARED_COUNTER, type Op } from './fixtures/crash-ops.js';

/** What verify reads: a Cache, a FanoutCache, or a backend adapted to the same two calls. */
export interface ReadableStore {
  get(key: string): unknown;
  keys(): Iterable<unknown>;
}

/** What the writers' logs say about one key written with set. */
interface KeyHistory {
  /** The last write whose call returned before the kill. */
  acked?: Op;
  /** Writes started after it whose outcome the kill hid (at most one per killed round). */
  later: Op[];
}

interface CounterHistory {
  acked: number;
  inFlight: number;
  /** Values incr returned, with the number of in-flight increments before each. */
  returned: { value: number; ordinal: number; inFlightBefore: number }[];
}

/** Everything the logs of all rounds acknowledge, folded in order. */
export class CrashLedger {
  readonly keys = new Map<string, KeyHistory>();
  readonly counters = new Map<string, CounterHistory>();
  opsAcked = 0;
  opsInFlight = 0;
  /** Ops that failed with a typed error (I/O-fault tests): like one in flight, they may or may not have landed. */
  opsFailed = 0;
  readonly childErrors: string[] = [];

  /** Reads one round's log; rounds of the same writer must be added in order. */
  addLog(file: string): void {
    // Only complete lines count: a kill inside the write leaves a partial one, which never happened.
    const text = readFileSync(file, 'utf8');
    this.addLines(
      text
        .slice(0, text.lastIndexOf('\n') + 1)
        .split('\n')
        .filter(Boolean),
      file,
    );
  }

  /** Folds one writer's log lines (`B`, `E`, `F`, `X`), in order. */
  addLines(lines: readonly string[], source: string): void {
    let pending: Op | undefined;
    for (const line of lines) {
      const fields = line.split(' ');
      if (fields[0] === 'B') pending = parseOp(fields.slice(1));
      else if (fields[0] === 'E' && pending !== undefined) {
        // false (a set given up on a lock) or null (such an incr) means it certainly did not happen.
        if (fields[2] !== 'false' && fields[2] !== 'null') {
          this.record(pending, true, Number(fields[2]));
          this.opsAcked++;
        }
        pending = undefined;
      } else if (fields[0] === 'F' && pending !== undefined) {
        this.record(pending, false, NaN);
        this.opsFailed++;
        pending = undefined;
      } else if (fields[0] === 'X') this.childErrors.push(`${source}: ${line}`);
    }
    if (pending !== undefined) {
      this.record(pending, false, NaN);
      this.opsInFlight++;
    }
  }

  private record(op: Op, acked: boolean, result: number): void {
    if (op.kind === 'incr' || op.kind === 'shared') {
      const key = op.kind === 'incr' ? ownCounter(op.id) : SHARED_COUNTER;
      const history = this.counters.get(key) ?? { acked: 0, inFlight: 0, returned: [] };
      this.counters.set(key, history);
      if (!acked) {
        history.inFlight++;
        return;
      }
      history.acked++;
      history.returned.push({ value: result, ordinal: history.acked, inFlightBefore: history.inFlight });
      return;
    }
    for (const key of op.kind === 'pair' ? pairKeys(op.id) : [op.key]) {
      const history = this.keys.get(key) ?? { later: [] };
      this.keys.set(key, history);
      if (acked) {
        history.acked = op;
        history.later = [];
      } else history.later.push(op);
    }
  }

  /** Problems found in the reopened cache; empty when nothing was lost, doubled or corrupted. */
  verify(cache: ReadableStore): string[] {
    const problems: string[] = [];
    for (const [key, history] of this.keys) {
      const value = cache.get(key);
      const allowed = [history.acked, ...history.later].filter((op) => op !== undefined).map(expectedValue);
      if (history.acked === undefined) allowed.push(undefined);
      if (!allowed.some((candidate) => isDeepStrictEqual(candidate, value))) {
        problems.push(
          `${key}: read back ${describe(value)}, expected ${history.acked ? `op ${history.acked.round}.${history.acked.index}` : 'nothing'} or one of ${history.later.length} in-flight writes`,
        );
      }
    }
    for (const id of new Set([...this.keys.keys()].filter((k) => k.startsWith('p-')).map((k) => k.split('-')[1]))) {
      const [a, b] = pairKeys(Number(id));
      if (!isDeepStrictEqual(cache.get(a), cache.get(b))) problems.push(`pair ${id}: a transaction was half applied`);
    }
    // Only shared keys are written by several writers, so per-writer order holds for all others.
    for (const [key, history] of this.counters) {
      const final = (cache.get(key) as number | undefined) ?? 0;
      if (final < history.acked || final > history.acked + history.inFlight) {
        problems.push(`counter ${key}: ${final}, acknowledged ${history.acked} with ${history.inFlight} in flight`);
      }
      if (key === SHARED_COUNTER) continue;
      for (const r of history.returned) {
        if (r.value < r.ordinal || r.value > r.ordinal + r.inFlightBefore) {
          problems.push(
            `counter ${key}: increment #${r.ordinal} returned ${r.value} with ${r.inFlightBefore} in flight before it`,
          );
          break;
        }
      }
    }
    const known = new Set([...this.keys.keys(), ...this.counters.keys()]);
    for (const key of cache.keys()) {
      if (!known.has(String(key))) problems.push(`unexpected key ${String(key)}`);
    }
    return problems;
  }
}

function describe(value: unknown): string {
  if (Buffer.isBuffer(value)) return `${value.length} bytes`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}...` : text;
}
