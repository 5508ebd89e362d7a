import { describe, expect, it } from 'vitest';
import { measureCallFloors } from '../../harness/call-floor.js';
import { waitForIdle } from '../../harness/guarded-run.js';
import { decodeHistogram } from '../../results/histogram.js';
import { noiseMeasurable } from '../../harness/host-noise.js';
import { getOnly, run } from './helpers.js';

// A threshold below zero makes every judged interval noisy, whatever the host is doing:
// the guards' behaviour can then be checked on a shared machine without timing luck.
const ALWAYS_NOISY = -1;

describe('measurement guards', () => {
  it('--retry-noisy reruns a noisy backend, keeps one attempt and says which', async (ctx) => {
    if (!noiseMeasurable()) return ctx.skip();
    const notices: string[] = [];
    const results = await run(
      'memory',
      getOnly(),
      { procs: 1, ops: null, durationSeconds: 0.6 },
      {
        intervalMs: 300,
        noiseThresholdCores: ALWAYS_NOISY,
        retryNoisy: 1,
        callFloors: false,
        onNotice: (t) => notices.push(t),
      },
    );
    const noise = results.backends[0]!.hostNoise!;
    expect(noise.attempts).toHaveLength(2);
    expect(noise.attempts!.every((a) => a.noisyIntervals > 0)).toBe(true);
    expect([0, 1]).toContain(noise.keptAttempt);
    expect(notices.some((n) => /rerunning \(attempt 2 of 2\)/.test(n))).toBe(true);
    expect(notices.at(-1)).toMatch(
      new RegExp(
        `memory: ran 2 times because the host was noisy; kept attempt ${noise.keptAttempt! + 1}, the quietest`,
      ),
    );
    expect(results.run.measurement).toEqual({
      noiseThresholdCores: ALWAYS_NOISY,
      waitIdleSeconds: 0,
      retryNoisy: 1,
      pin: null,
    });
  });

  it('--wait-idle starts at once on a quiet enough host and gives up after the limit on a busy one', async (ctx) => {
    if (!noiseMeasurable()) return ctx.skip('no /proc/stat on this system: noise is not measured here');
    // A threshold of 100 cores is met at once on any host; no timing is asserted (the host is shared).
    const quiet = await waitForIdle(5, 100);
    expect(quiet.quiet).toBe(true);
    const notices: string[] = [];
    const busy = await waitForIdle(1, ALWAYS_NOISY, (t) => notices.push(t));
    expect(busy.quiet).toBe(false);
    expect(busy.waitedSeconds).toBeGreaterThanOrEqual(1);
    expect(notices.at(-1)).toMatch(/host still busy after .* s .*starting anyway/);
  });

  it('measures the sync and the awaited floor through the worker loop, every get recorded', async () => {
    const floors = await measureCallFloors({ ops: 1_000, rounds: 2, warmupOps: 100 });
    for (const [style, floor] of [
      ['sync', floors.sync],
      ['async', floors.async],
    ] as const) {
      expect(floor.style).toBe(style);
      expect(floor.count).toBe(2_000);
      expect(decodeHistogram(floor.histogram).totalCount).toBe(2_000);
      expect(floor.percentiles.p50).toBeGreaterThan(0);
    }
  });
});
