import { describe, expect, it } from 'vitest';
import { getBackendFactory } from '../../backends/registry.js';
import type { ResultsFile } from '../../results/results.js';
import { parseGridArgs } from '../../sweep/grid.js';
import { parseObjective } from '../../sweep/objective.js';
import { scenarioFor } from '../../sweep/plan.js';
import { resolveSweep } from '../../sweep/resolve-sweep.js';
import { summarizeSweep } from '../../sweep/summary.js';
import { fakeResults } from './fixtures.js';

const sqlite = getBackendFactory('sqlite');

describe('sweep axes over scenario parameters (read-write-ratio)', () => {
  it('ratio and param.ratio are parameter axes; unknown names and bad values fail before any run', async () => {
    expect(parseGridArgs(['ratio=1,10,100'], sqlite)[0]).toMatchObject({ name: 'ratio', kind: 'param' });
    expect(parseGridArgs(['param.ratio=1,10'], sqlite)[0]).toMatchObject({ name: 'ratio', kind: 'param' });
    expect(parseGridArgs(['mix.delete=0,1'], sqlite)[0]).toMatchObject({ name: 'mix.delete', kind: 'param' });
    expect(() => parseGridArgs(['param.nosuch=1'], sqlite)).toThrow(
      /grid axis param\.nosuch: unknown scenario parameter "nosuch"; known: keys, .*ratio/,
    );
    await expect(resolveSweep('read-write-ratio', { grid: ['ratio=1,0'] })).rejects.toThrow(
      /^grid ratio=0: expected a number > 0$/,
    );
  });

  it('each ratio runs its own workload and is compared only with the defaults at that ratio', async () => {
    const { plan } = await resolveSweep('read-write-ratio', {
      grid: ['ratio=1,100', 'synchronous=off,full'],
      repeat: 2,
      procs: 1,
      ops: 10,
    });
    // 2 ratios × 2 settings, plus one defaults reference per ratio.
    expect(plan.combinations.map((c) => c.label)).toEqual([
      'ratio=1 synchronous=off',
      'ratio=1 synchronous=full',
      'ratio=100 synchronous=off',
      'ratio=100 synchronous=full',
      'defaults ratio=1',
      'defaults ratio=100',
    ]);
    expect(plan.combinations.map((c) => c.context)).toEqual([
      'ratio=1',
      'ratio=1',
      'ratio=100',
      'ratio=100',
      'ratio=1',
      'ratio=100',
    ]);
    expect(plan.combinations[0]!.backend).toBe('sqlite:synchronous=off');
    expect(scenarioFor(plan, plan.combinations[2]!).scenario.mix).toEqual({ get: 100, set: 1 });
    expect(scenarioFor(plan, plan.combinations[2]!).parameters).toEqual({ ratio: '100' });
    expect(scenarioFor(plan, plan.combinations[4]!).scenario.mix).toEqual({ get: 1, set: 1 });

    const results = new Map<string, ResultsFile>();
    for (const run of plan.runs) {
      const c = plan.combinations[run.combination]!;
      results.set(
        run.id,
        fakeResults(c.backend, c.procs, { get: { p99: (c.params.ratio === '1' ? 9000 : 1000) + run.repeat } }),
      );
    }
    const summary = summarizeSweep(plan, results, parseObjective('get.p99'));
    expect(summary.recommendations.map((r) => [r.context, r.reference?.label])).toEqual([
      ['ratio=1', 'defaults ratio=1'],
      ['ratio=100', 'defaults ratio=100'],
    ]);
  });
});
