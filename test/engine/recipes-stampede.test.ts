import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, memoizeStampede } from '../../engine/index.js';
import { fakeClock, openCache, tempDir } from './helpers.js';
import { runChildren } from './recipe-processes.js';

describe('memoizeStampede', () => {
  it('recomputes early with probability rising near expiry; one caller wins the marker', () => {
    const clock = fakeClock(0);
    const cache = openCache({ now: clock.now });
    let calls = 0;
    const roll = 0.5;
    const slow = memoizeStampede(
      cache,
      function slow(x: number) {
        calls++;
        clock.advance(1);
        return x + calls;
      },
      { name: 'slow', expire: 10, random: () => roll },
    );
    expect(slow(1)).toBe(2); // computed; delta = 1 s; expires at t = 11
    clock.advance(5); // ttl 5 > -1 × ln 0.5 ≈ 0.69: cached
    expect(slow(1)).toBe(2);
    clock.advance(4.5); // ttl 0.5 < 0.69: this caller would recompute…
    const marker = `${slow.cacheKey(1)}:recompute`;
    expect(cache.add(marker, null)).toBe(true); // …but another process already is
    expect(slow(1)).toBe(2);
    cache.delete(marker);
    expect(slow(1)).toBe(3); // now this caller wins the marker and recomputes
    expect(cache.has(marker)).toBe(false); // removed when the recompute ended
    expect(calls).toBe(2);
    expect(() =>
      memoizeStampede(
        cache,
        function f() {
          return 1;
        },
        { name: 'f', expire: 0 },
      ),
    ).toThrow(/expire/);
  });

  it('under 4 processes, far fewer calls than plain memoize when values expire', async () => {
    // fn takes 20 ms, values live 0.4 s, 4 s of calls: about 9 expiries after the first (cold) computation.
    const args = (kind: string) => [kind, 20, 0.4, 4];
    const plainDir = join(tempDir(), 'cache');
    await runChildren(4, 'memoize', plainDir, args('plain'));
    const stampedeDir = join(tempDir(), 'cache');
    await runChildren(4, 'memoize', stampedeDir, args('stampede'));
    const calls = (dir: string) => {
      const state = new Cache(`${dir}-state`);
      const n = state.get('calls') as number;
      state.close();
      return n;
    };
    const plain = calls(plainDir);
    const stampede = calls(stampedeDir);
    console.log(`memoize calls over 4 s, 4 processes: plain ${plain}, stampede ${stampede}`);
    expect(stampede).toBeGreaterThan(0);
    // Plain memoize: every expiry is a stampede of up to 4 calls; here about one call per expiry.
    expect(stampede * 2).toBeLessThan(plain);
  });
});
