import { describe, expect, it } from 'vitest';
import { compare } from '../../compare/compare.js';
import { evaluateGate, parseFailOn } from '../../compare/thresholds.js';
import { syntheticRuns } from './fixtures/synthetic-results.js';

/**
 * The gate's operating characteristics on synthetic data with a known truth:
 * 5 repeated runs a side, 2,000 operations per run, 3% run-to-run machine
 * noise, and a slowdown injected into the tail (above the true p98) of `set`
 * only. Trials are seeded, so the counts are reproducible.
 */
const RUNS = 5;
const rules = parseFailOn('set.p99>10%');

function trial(seed: number, slowdown: number) {
  const base = syntheticRuns(RUNS, seed * 1000, {
    backends: { sqlite: { get: { medianNs: 3_000 }, set: { medianNs: 5_000 } } },
  });
  const head = syntheticRuns(RUNS, seed * 1000 + 500, {
    backends: { sqlite: { get: { medianNs: 3_000 }, set: { medianNs: 5_000, tailSlowdown: slowdown } } },
  });
  // Fewer resamples: the verdict comes from the rank test; the CI is not used by the gate.
  const report = compare(base, head, { statistics: ['median', 'p99'], resamples: 200, seed });
  const p99 = report.rows.find((r) => r.action === 'set' && r.statistic === 'p99')!;
  return { fired: evaluateGate(report, rules).failed, slower: p99.verdict === 'slower', report };
}

function rate(trials: number, slowdown: number): { fired: number; slower: number } {
  let fired = 0;
  let slower = 0;
  for (let seed = 1; seed <= trials; seed++) {
    const outcome = trial(seed, slowdown);
    if (outcome.fired) fired++;
    if (outcome.slower) slower++;
  }
  return { fired, slower };
}

describe('gate power on injected p99 slowdowns (5 runs each)', () => {
  it('catches a 20% p99 slowdown in at least 19 of 20 trials', () => {
    expect(rate(20, 0.2).fired).toBeGreaterThanOrEqual(19);
  });

  it('catches a 50% p99 slowdown in every one of 20 trials', () => {
    expect(rate(20, 0.5).fired).toBe(20);
  });

  it('a 10% slowdown is detected far more often than chance, though a 10% limit rarely fires', () => {
    const { fired, slower } = rate(20, 0.1);
    // Null rate of a "slower" verdict is about alpha/2 (1 in 100 trials below);
    // here the rank test flags well over a third of trials.
    expect(slower).toBeGreaterThanOrEqual(8);
    // The point estimate hovers around the limit, so the gate fires on only some.
    expect(fired).toBeLessThan(20);
  });

  it('an injected slowdown in set.p99 leaves get and the set median alone', () => {
    const { report } = trial(7, 0.5);
    const unchanged = report.rows.filter((r) => !(r.action === 'set' && r.statistic === 'p99'));
    expect(unchanged.every((r) => r.verdict !== 'slower')).toBe(true);
  });
});

describe('gate false alarms on two samples of one distribution', () => {
  it('does not fire in at least 95 of 100 seeded trials', () => {
    const { fired, slower } = rate(100, 0);
    expect(fired).toBeLessThanOrEqual(5);
    // The verdict alone (no limit) stays near alpha/2 for "slower".
    expect(slower).toBeLessThanOrEqual(5);
  });
});
