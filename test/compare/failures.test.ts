import { describe, expect, it } from 'vitest';
import { compare } from '../../compare/compare.js';
import { risesSignificantly } from '../../compare/failures.js';
import { formatMarkdown } from '../../compare/format-markdown.js';
import { formatTable } from '../../compare/format-table.js';
import { evaluateGate, parseFailOn } from '../../compare/thresholds.js';
import type { ResultsFile } from '../../results/results.js';
import { syntheticRuns } from './fixtures/synthetic-results.js';

const plain = { sqlite: { get: { medianNs: 3_000 }, set: { medianNs: 5_000 } } };
const fastSets = { sqlite: { get: { medianNs: 3_000 }, set: { medianNs: 1_000 } } };

/**
 * Marks `fraction` of an action's operations as errors (or timeouts), the way a partial harness run reports them:
 * errors leave `count`; timeouts leave it too in files written before timeouts were timed (no run.timeoutsTimed).
 */
function failing(
  files: ResultsFile[],
  action: string,
  fraction: number,
  kind: 'errors' | 'timeouts' = 'errors',
): ResultsFile[] {
  for (const file of files) {
    const backend = file.backends[0]!;
    const a = backend.actions[action]!;
    const failed = Math.round(a.count * fraction);
    a[kind] = failed;
    a.count -= failed;
    if (kind === 'errors') {
      a.errorMessages = ['SQLITE_READONLY: attempt to write a readonly database'];
      backend.status = 'partial';
      backend.message = `${failed} of ${a.count + failed} operations failed: SQLITE_READONLY`;
    }
  }
  return files;
}

describe('compare: failed operations', () => {
  it('a head whose sets fail fast does not pass the gate by looking faster', () => {
    const base = syntheticRuns(5, 1, { backends: plain });
    const head = failing(syntheticRuns(5, 11, { backends: fastSets }), 'set', 0.5);
    const report = compare(base, head);
    expect(report.rows.find((r) => r.action === 'set' && r.statistic === 'median')!.verdict).toBe('faster');
    const set = report.failures.find((f) => f.action === 'set')!;
    expect(set.base.errorRate).toBe(0);
    expect(set.head.errorRate).toBeCloseTo(0.5, 2);
    expect(set.failure).toMatch(/errors in head \(50\.0% of \d+ operations\) where base had none/);
    expect(report.failures.find((f) => f.action === 'get')!.failure).toBeNull();

    const gate = evaluateGate(report, parseFailOn('*.p99>10%'));
    expect(gate.failed).toBe(true);
    expect(gate.failures).toEqual([]);
    const table = formatTable(report, gate);
    expect(table).toMatch(/^gate: FAILED — sqlite\/set failed operations: \d+ errors in head/m);
    expect(table).toMatch(
      /failed operations \(errors, timeouts\):\n {2}sqlite set: base errors 0% \(0 of \d+\), timeouts 0% \(0 of \d+ answered\); head errors 50\.0%/,
    );
    expect(formatMarkdown(report, gate)).toMatch(/\*\*❌ gate: FAILED — sqlite\/set failed operations/);
  });

  it('a head with as few errors as base passes; a significant rise fails', () => {
    const base = failing(syntheticRuns(5, 1, { backends: plain }), 'set', 0.01);
    const same = compare(base, failing(syntheticRuns(5, 11, { backends: plain }), 'set', 0.01));
    expect(evaluateGate(same, parseFailOn('*.p99>10%')).failedOperations).toEqual([]);
    const worse = compare(base, failing(syntheticRuns(5, 11, { backends: plain }), 'set', 0.05));
    expect(worse.failures.find((f) => f.action === 'set')!.failure).toMatch(
      /error rate rose from 1\.0% to 5\.0% \(significant at α = 0\.05\)/,
    );
    expect(evaluateGate(worse, parseFailOn('*.p99>10%')).failed).toBe(true);
  });

  it('timeouts fail the gate only on a significant rise', () => {
    const base = syntheticRuns(5, 1, { backends: plain });
    const one = compare(base, failing(syntheticRuns(5, 11, { backends: plain }), 'get', 0.0001, 'timeouts'));
    expect(evaluateGate(one, parseFailOn('*.p99>10%')).failed).toBe(false);
    const many = compare(base, failing(syntheticRuns(5, 11, { backends: plain }), 'get', 0.05, 'timeouts'));
    expect(many.failures.find((f) => f.action === 'get')!.failure).toMatch(/timeout rate rose from 0% to 5\.0%/);
    expect(evaluateGate(many, parseFailOn('*.p99>10%')).failed).toBe(true);
  });

  it('timeouts in count (run.timeoutsTimed): the rate is over answered operations, not counted twice', () => {
    /** Timeouts as the harness records them now: answers, so they stay in `count`; errors leave it. */
    const timed = (files: ResultsFile[], timeouts: number, errors: number): ResultsFile[] => {
      for (const file of files) {
        file.run.timeoutsTimed = true;
        const a = file.backends[0]!.actions.get!;
        a.timeouts = Math.round(a.count * timeouts);
        a.errors = Math.round(a.count * errors);
        a.count -= a.errors;
      }
      return files;
    };
    const base = timed(syntheticRuns(5, 1, { backends: plain }), 0.05, 0);
    const head = timed(syntheticRuns(5, 11, { backends: plain }), 0.05, 0.2);
    const get = compare(base, head).failures.find((f) => f.action === 'get')!;
    const answered = head.reduce((s, f) => s + f.backends[0]!.actions.get!.count, 0);
    const errors = head.reduce((s, f) => s + f.backends[0]!.actions.get!.errors, 0);
    expect(get.head.answered).toBe(answered);
    expect(get.head.count).toBe(answered + errors);
    expect(get.head.timeoutRate).toBeCloseTo(0.05 / 0.8, 3);
    expect(get.base.timeoutRate).toBeCloseTo(0.05, 3);
    expect(get.head.errorRate).toBeCloseTo(0.2, 3);
  });

  it('a side mixing files from before and after timeouts were timed reads each in its own meaning', () => {
    // The same 5% timeout rate, written both ways: no rise.
    const old = failing(syntheticRuns(5, 1, { backends: plain }), 'get', 0.05, 'timeouts');
    const now = syntheticRuns(5, 11, { backends: plain });
    for (const file of now) {
      file.run.timeoutsTimed = true;
      const a = file.backends[0]!.actions.get!;
      a.timeouts = Math.round(a.count * 0.05);
    }
    const get = compare(old, now).failures.find((f) => f.action === 'get')!;
    expect(get.base.timeoutRate).toBeCloseTo(0.05, 3);
    expect(get.head.timeoutRate).toBeCloseTo(0.05, 3);
    expect(get.base.answered).toBe(get.base.count);
    expect(get.failure).toBeNull();
  });

  it('with too few runs for the rank test, a rise in errors still fails the gate while latency is not judged', () => {
    const report = compare(
      syntheticRuns(2, 1, { backends: plain }),
      failing(syntheticRuns(2, 11, { backends: fastSets }), 'set', 0.5),
    );
    expect(report.mode).toBe('too-few-runs');
    expect(report.rows.every((r) => r.verdict === 'not judged')).toBe(true);
    const gate = evaluateGate(report, parseFailOn('*.p99>10%'));
    expect(gate.failed).toBe(true);
    expect(gate.failures).toEqual([]);
    expect(formatTable(report, gate)).toMatch(/^gate: FAILED — sqlite\/set failed operations: \d+ errors in head/m);
  });

  it('the two-proportion test', () => {
    expect(risesSignificantly(10, 1000, 30, 1000, 0.05)).toBe(true);
    expect(risesSignificantly(10, 1000, 14, 1000, 0.05)).toBe(false);
    expect(risesSignificantly(30, 1000, 10, 1000, 0.05)).toBe(false);
    expect(risesSignificantly(0, 1000, 0, 1000, 0.05)).toBe(false);
  });
});
