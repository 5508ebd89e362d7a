import { describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../results/histogram.js';
import type { ActionResult, BackendResult } from '../../results/results.js';
import { fixture, getOnly, run } from './helpers.js';

const SLEEP_MS = 20;
const SLEEP_NS = SLEEP_MS * 1e6;
const OPS = 200;
const PROCS = 2;
const TIMEOUT_EVERY = 10;
const ERROR_EVERY = 25;
const backend = fixture('slow-timeout', `timeoutEvery=${TIMEOUT_EVERY},errorEvery=${ERROR_EVERY},sleepMs=${SLEEP_MS}`);

/** What the fixture does to calls 1..OPS of one process: errors first, then timeouts. */
function expected(): { errors: number; timeouts: number; answered: number } {
  let errors = 0;
  let timeouts = 0;
  for (let n = 1; n <= OPS; n++) {
    if (n % ERROR_EVERY === 0) errors++;
    else if (n % TIMEOUT_EVERY === 0) timeouts++;
  }
  return { errors: PROCS * errors, timeouts: PROCS * timeouts, answered: PROCS * (OPS - errors) };
}

/**
 * The value at the percentile where only the top `top` of `total` values
 * remain: when `top` values waited at least the sleep, it cannot be below it
 * (an HDR value is its bucket's highest equivalent, never lower).
 */
function valueAmongTop(encoded: string, top: number): { total: number; value: number } {
  const histogram = decodeHistogram(encoded);
  const total = histogram.totalCount;
  return { total, value: histogram.getValueAtPercentile((100 * (total - top + 0.5)) / total) };
}

function intervalCount(backendResult: BackendResult, action: string): number {
  return backendResult.intervals.reduce((s, i) => s + (i.actions[action]?.count ?? 0), 0);
}

function expectAnsweredAndTimed(result: BackendResult, action: string, a: ActionResult): void {
  const want = expected();
  // Timeouts are answers: in count and in the histogram; errors are neither.
  expect(a.errors).toBe(want.errors);
  expect(a.timeouts).toBe(want.timeouts);
  expect(a.count).toBe(want.answered);
  expect(intervalCount(result, action)).toBe(a.count);
  // A timed-out get answers no value, a timed-out set declines: each is a miss (every other call hits).
  expect(a.misses).toBe(want.timeouts);
  expect(a.errorMessages).toEqual(['injected failure']);
  const response = valueAmongTop(a.histogram, want.timeouts);
  expect(response.total).toBe(a.count);
  // The waits are in the tail: at least the sleep, never an upper bound (the host may be slow).
  expect(response.value).toBeGreaterThanOrEqual(SLEEP_NS);
  expect(a.percentiles.max).toBeGreaterThanOrEqual(SLEEP_NS);
  expect(a.percentiles.p99).toBeGreaterThanOrEqual(SLEEP_NS);
  expect(a.totalNs).toBeGreaterThanOrEqual(want.timeouts * SLEEP_NS);
  // Errors still fail the backend; the message counts them among the attempts (answers + errors).
  expect(result.status).toBe('partial');
  expect(result.message).toBe(`${want.errors} of ${PROCS * OPS} operations failed: injected failure`);
}

describe('timed-out operations are timed answers (real processes)', () => {
  it('closed loop: a set that times out after a wait is in count, the histogram and misses; errors are not', async () => {
    // No preload: its sets would be fixture calls too and shift which measured set times out.
    const setOnly = { ...getOnly(), name: 'set-only', mix: { set: 1 }, preload: false };
    const results = await run(backend, setOnly, { procs: PROCS, ops: OPS });
    expect(results.run.timeoutsTimed).toBe(true);
    const result = results.backends[0]!;
    expectAnsweredAndTimed(result, 'set', result.actions.set!);
  });

  it('open loop: a get that times out is timed from its intended start and in the service time, and is a miss', async () => {
    const results = await run(backend, getOnly(), { procs: PROCS, ops: OPS, rate: 1_000 * PROCS, loadModel: 'open' });
    const result = results.backends[0]!;
    const get = result.actions.get!;
    expectAnsweredAndTimed(result, 'get', get);
    expect(get.serviceTime).toBeDefined();
    const service = valueAmongTop(get.serviceTime!.histogram, expected().timeouts);
    expect(service.total).toBe(get.count);
    expect(service.value).toBeGreaterThanOrEqual(SLEEP_NS);
  });
});
