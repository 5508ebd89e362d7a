import type { ScenarioCheck } from './check.js';
import { numericValue } from './numeric-value.js';
import { allKeys } from './workload.js';

/**
 * `conservation`: every worker tallies what it added with incr and drained
 * with pop (store-actions.ts); after the run each worker drains the counters
 * that are left, and every issued increment must have been drained.
 */
export const conservation: ScenarioCheck = {
  name: 'conservation',
  async finalize(store, scenario) {
    let remaining = 0;
    for (const value of await store.popAll(allKeys(scenario))) {
      if (value !== undefined) remaining += numericValue(value);
    }
    return { remaining };
  },
  metrics(workers) {
    const sum = (pick: (w: (typeof workers)[number]) => number | undefined): number =>
      workers.reduce((s, w) => s + (pick(w) ?? 0), 0);
    const incremented = sum((w) => w.tally.incremented);
    const drained = sum((w) => w.tally.drained) + sum((w) => w.final?.remaining);
    return { incremented, drained, lostIncrements: incremented - drained, noIncrementLost: incremented === drained };
  },
  failure(metrics, timeouts) {
    if (metrics.noIncrementLost !== false) return undefined;
    return {
      status: timeouts > 0 ? 'partial' : 'errored',
      message: `${metrics.lostIncrements} increments lost${timeouts > 0 ? ` (${timeouts} timed-out operations may account for them)` : ''}`,
    };
  },
};
