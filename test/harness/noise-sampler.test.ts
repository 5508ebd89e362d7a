/**
 * Every run gets host-noise data: a run that ends before the sampler's first
 * tick still has one (short, unjudged) sample, never silently none.
 */
import { describe, expect, it } from 'vitest';
import { NoiseSampler, noiseMeasurable } from '../../harness/host-noise.js';
import { MIN_JUDGED_SECONDS } from '../../results/noise-summary.js';
import { getOnly, run } from './helpers.js';

const self = [{ role: 'parent' as const, pid: process.pid }];

describe('NoiseSampler on a run shorter than one sample', () => {
  it('records one unjudged sample when stopped before its first tick', (ctx) => {
    if (!noiseMeasurable()) {
      console.log('skipped: no /proc/stat on this system: noise is not measured here');
      return ctx.skip('no /proc/stat on this system');
    }
    // The first tick is 10 s away: stop comes long before it.
    const sampler = new NoiseSampler(() => self, process.hrtime.bigint() + 10_000_000_000n, 1000);
    sampler.start();
    const noise = sampler.stop(0.25);
    expect(noise).toBeDefined();
    expect(noise!.samples).toHaveLength(1);
    expect(noise!.samples[0]!.seconds).toBeLessThan(MIN_JUDGED_SECONDS);
    // Too short to judge: recorded, never called noisy.
    expect(noise!.noisyIntervals).toEqual([]);
    expect(noise!.tracked).toEqual(self);
  });

  it('a 10-operation pinned run still carries hostNoise (real processes)', async (ctx) => {
    if (!noiseMeasurable()) {
      console.log('skipped: no /proc/stat on this system: noise is not measured here');
      return ctx.skip('no /proc/stat on this system');
    }
    const file = await run(
      'memory',
      getOnly(),
      { procs: 1, ops: 10, warmupOps: 0 },
      { pin: 'same', callFloors: false },
    );
    const backend = file.backends[0]!;
    expect(backend.status).toBe('completed');
    expect(backend.hostNoise).toBeDefined();
    expect(backend.hostNoise!.samples.length).toBeGreaterThanOrEqual(1);
  });
});
