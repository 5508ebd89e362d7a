import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { throttle } from '../../engine/index.js';
import { fakeClock, openCache, tempDir } from './helpers.js';
import { runChildren } from './recipe-processes.js';

describe('throttle', () => {
  it('admits at most count calls in any window (fake clock, no sleeping)', () => {
    const clock = fakeClock(0);
    const cache = openCache({ now: clock.now });
    const starts: number[] = [];
    const call = throttle(
      cache,
      function work() {
        starts.push(clock.now());
      },
      3,
      1,
      { name: 'work', sleep: (s) => clock.advance(s) },
    );
    for (let i = 0; i < 10; i++) call();
    expect(starts).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3]);
    expect(() => throttle(cache, function bad() {}, 0, 1)).toThrow(/count/);
  });

  it('10 per second across 3 processes: ≤ 10 calls in every 1-second window', async () => {
    const dir = join(tempDir(), 'cache');
    const results = (await runChildren(3, 'throttle', dir, [10, 1, 2.5])) as number[][];
    const starts = results.flat().sort((a, b) => a - b);
    expect(starts.length).toBeGreaterThan(10); // the processes really competed for the budget
    // Fixed windows from the first call, and every sliding window starting at a call.
    for (let w = starts[0]!; w <= starts.at(-1)!; w += 1) {
      expect(starts.filter((t) => t >= w && t < w + 1).length).toBeLessThanOrEqual(10);
    }
    for (const [i, t] of starts.entries()) {
      expect(starts.slice(i).filter((u) => u < t + 1).length).toBeLessThanOrEqual(10);
    }
  });
});
