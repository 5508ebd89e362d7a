import { describe, expect, it } from 'vitest';
import { collectSeries } from '../../reports/series.js';
import { detectTimeoutSweep, timeoutSweepData, timeoutSweepSpec } from '../../reports/specs/timeout-sweep-spec.js';
import { constant, makeResults, talkResults, type BackendFixture } from './fixtures/make-results.js';

function sqlite(timeout: number, misses: number, extra: Record<string, number> = {}): BackendFixture {
  return {
    label: `sqlite:timeout=${timeout}${Object.entries(extra)
      .map(([k, v]) => `,${k}=${v}`)
      .join('')}`,
    name: 'sqlite',
    settings: { timeout, ...extra },
    actions: { get: { count: 100, distribution: constant(1000), misses, timeouts: misses / 2 } },
  };
}

describe('timeout sweep', () => {
  it('groups backends that differ only by the timeout setting', () => {
    const series = collectSeries([
      makeResults({ backends: [sqlite(0.001, 40), sqlite(0.01, 20), sqlite(0.1, 2), sqlite(0.01, 10, { shards: 8 })] }),
    ]);
    const sweeps = detectTimeoutSweep(series);
    // The shards=8 backend has no partner with another timeout: not a sweep.
    expect([...sweeps.keys()]).toEqual(['sqlite']);
    expect(sweeps.get('sqlite')).toHaveLength(3);
    const data = timeoutSweepData(series);
    expect(data.map((d) => [d.timeoutSeconds, d.missRate, d.timeoutRate])).toEqual([
      [0.001, 0.4, 0.2],
      [0.01, 0.2, 0.1],
      [0.1, 0.02, 0.01],
    ]);
  });

  it('reads a file from before timeouts were timed in the same meaning: timeouts are answers and misses', () => {
    // The first test's sweep as an older harness wrote it: count and misses without the timeouts.
    const untimed = (timeout: number, misses: number): BackendFixture => {
      const b = sqlite(timeout, misses);
      const get = b.actions.get!;
      b.actions.get = { ...get, count: get.count - get.timeouts!, misses: misses - get.timeouts! };
      return b;
    };
    const series = collectSeries([
      makeResults({ timeoutsTimed: false, backends: [untimed(0.001, 40), untimed(0.01, 20), untimed(0.1, 2)] }),
    ]);
    expect(timeoutSweepData(series).map((d) => [d.timeoutSeconds, d.missRate, d.timeoutRate])).toEqual([
      [0.001, 0.4, 0.2],
      [0.01, 0.2, 0.1],
      [0.1, 0.02, 0.01],
    ]);
  });

  it('builds a log-x chart of miss and timeout rates', () => {
    const series = collectSeries([makeResults({ backends: [sqlite(0.001, 40), sqlite(0.1, 2)] })]);
    const spec = JSON.parse(JSON.stringify(timeoutSweepSpec(series, 'get'))) as Record<string, any>;
    expect(spec.encoding.x.field).toBe('timeoutSeconds');
    expect(spec.encoding.x.scale.type).toBe('log');
    expect(spec.transform[0].fold).toEqual(['missRate', 'timeoutRate']);
    expect(spec.encoding.color.field).toBe('series');
  });

  it('finds no sweep in ordinary results and never mixes files', () => {
    expect(timeoutSweepSpec(collectSeries([talkResults()]), 'get')).toBeNull();
    const twoFiles = collectSeries([
      makeResults({ backends: [sqlite(0.001, 4)] }),
      makeResults({ backends: [sqlite(0.1, 1)] }),
    ]);
    expect(detectTimeoutSweep(twoFiles).size).toBe(0);
  });
});
