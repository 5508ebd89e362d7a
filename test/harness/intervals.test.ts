/**
 * The over-time series: workers warm up, meet at a second barrier, and start
 * measuring at one instant, where interval 0 begins. Checked against when each
 * operation actually ran (the fixture notes it), never against a stopwatch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BarrierTimes } from '../../harness/run-backend.js';
import { fixture, getOnly, run } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('warm-up, second barrier and intervals (real processes)', () => {
  it('starts every worker measuring together after the slowest warm-up; interval 0 holds measured time only', async () => {
    const out = mkdtempSync(join(tmpdir(), 'cachebench-intervals-'));
    dirs.push(out);
    const procs = 2;
    const warmupOps = 50;
    // Whole seconds: a worker descheduled for a few hundred ms on a loaded host still starts inside interval 0,
    // and no interval goes empty (unwritten) to throw the sum of lengths off.
    const intervalMs = 1000;
    const stallMs = 400;
    let barrier: BarrierTimes | undefined;
    // Worker 0 stalls 400 ms inside its warm-up; worker 1 warms up at once and must wait for it.
    const file = await run(
      fixture('clocked', `out=${out},stallAt=20,stallMs=${stallMs}`),
      getOnly(),
      { procs, ops: null, durationSeconds: 2.5, warmupOps },
      {
        intervalMs,
        callFloors: false,
        onBarrier: (_label, b) => (barrier = b),
      },
    );
    const backend = file.backends[0]!;
    expect(backend.status).toBe('completed');
    const b = barrier!;
    const measureAt = b.measureAtNs!;
    expect(measureAt).toBeDefined();

    // The second barrier came after every warm-up, the stalled one included.
    for (const warmed of b.warmedNs) expect(warmed! <= measureAt).toBe(true);
    expect(Number(measureAt - b.releaseNs)).toBeGreaterThanOrEqual(stallMs * 1e6);
    expect(backend.measureStartSeconds).toBeCloseTo(Number(measureAt - b.releaseNs) / 1e9, 5);

    const measured = Array.from({ length: procs }, (_, w) =>
      readFileSync(join(out, `gets-${w}.log`), 'utf8')
        .split('\n')
        .map((t) => BigInt(t))
        .slice(warmupOps),
    );
    const intervalNs = BigInt(intervalMs * 1e6);
    for (const times of measured) {
      // No measured op ran before the measurement start; each worker began within one interval of it
      // (worker 1 did not start early, while worker 0 was still stalled).
      expect(times[0]! >= measureAt).toBe(true);
      expect(times[0]! - measureAt < intervalNs).toBe(true);
    }

    // Each interval's count is the ops that ran in [measureAt + k·I, measureAt + (k+1)·I). An op is
    // binned by its end and noted during the call, so each boundary may move one op per worker.
    const binned = new Map<number, number>();
    for (const times of measured)
      for (const t of times)
        binned.set(Number((t - measureAt) / intervalNs), (binned.get(Number((t - measureAt) / intervalNs)) ?? 0) + 1);
    for (const interval of backend.intervals) {
      const index = Math.round(interval.start / (intervalMs / 1000));
      expect(interval.start).toBeCloseTo(index * (intervalMs / 1000), 9);
      expect(Math.abs(interval.actions.get!.count - (binned.get(index) ?? 0))).toBeLessThanOrEqual(2 * procs);
    }

    // Interval 0 is a whole interval of measuring, and the lengths add up to the measured span:
    // no interval claims warm-up time.
    expect(backend.intervals[0]!.start).toBe(0);
    expect(backend.intervals[0]!.seconds).toBe(intervalMs / 1000);
    const span = backend.wallSeconds - backend.measureStartSeconds!;
    const claimed = backend.intervals.reduce((t, i) => t + i.seconds, 0);
    expect(claimed).toBeCloseTo(span, 3);
  });
});
