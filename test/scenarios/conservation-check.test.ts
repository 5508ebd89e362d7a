import { describe, expect, it } from 'vitest';
import { MemoryBackend } from '../../backends/memory.js';
import { ACTIONS } from '../../scenarios/actions.js';
import { scenarioCheck } from '../../scenarios/checks.js';
import { conservation } from '../../scenarios/conservation.js';
import { getScenario } from '../../scenarios/registry.js';
import { Workload } from '../../scenarios/workload.js';

describe('the conservation check a scenario declares', () => {
  it('is what analytics names, and no other built-in scenario declares a check', () => {
    expect(scenarioCheck(getScenario('analytics'))).toBe(conservation);
    expect(scenarioCheck(getScenario('crawler'))).toBeUndefined();
  });

  it('sums every worker tally and drain, failed workers included', () => {
    const metrics = conservation.metrics([
      { tally: { incremented: 5, drained: 2 }, final: { remaining: 1 } },
      { tally: { incremented: 3 }, final: { remaining: 4 } },
      { tally: {}, final: undefined },
    ]);
    expect(metrics).toEqual({ incremented: 8, drained: 7, lostIncrements: 1, noIncrementLost: false });
  });

  it('fails errored when increments are lost, partial when timeouts may explain it, and passes when none are', () => {
    const lost = { incremented: 8, drained: 7, lostIncrements: 1, noIncrementLost: false };
    expect(conservation.failure(lost, 0)).toEqual({ status: 'errored', message: '1 increments lost' });
    expect(conservation.failure(lost, 3)).toEqual({
      status: 'partial',
      message: '1 increments lost (3 timed-out operations may account for them)',
    });
    expect(conservation.failure({ ...lost, drained: 8, lostIncrements: 0, noIncrementLost: true }, 0)).toBeUndefined();
  });

  it('drains what is left: the incr/pop bookkeeping and the final drain agree on a real store', async () => {
    const scenario = getScenario('analytics');
    const backend = new MemoryBackend();
    const workload = new Workload(scenario, 3, 0, 1);
    const context = { workload, tally: {} as Record<string, number> };
    for (let i = 0; i < 500; i++) {
      const op = workload.next();
      const result = await op.definition.perform(backend, op);
      op.definition.after?.(result, context);
    }
    const final = await conservation.finalize(
      { popAll: async (keys) => keys.map((key) => backend.pop(key)) },
      scenario,
    );
    const metrics = conservation.metrics([{ tally: context.tally, final }]);
    expect(metrics.incremented).toBeGreaterThan(0);
    expect(metrics.noIncrementLost).toBe(true);
    expect(ACTIONS.incr.isMiss(1)).toBe(false);
  });
});
