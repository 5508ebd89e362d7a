import { describe, expect, it } from 'vitest';
import { ThresholdError } from '../../compare/errors.js';
import {
  COMPARE_SCHEMA,
  COMPARE_VERSION,
  type ComparisonReport,
  type ComparisonRow,
  type Verdict,
} from '../../compare/report.js';
import { evaluateGate, parseFailOn } from '../../compare/thresholds.js';

describe('parseFailOn', () => {
  it('parses action.statistic>N% rules with aliases', () => {
    expect(parseFailOn('set.p99>10%, get.median>5%,get.p999>2.5%')).toEqual([
      { text: 'set.p99>10%', backend: null, action: 'set', statistic: 'p99', limit: 0.1 },
      { text: 'get.median>5%', backend: null, action: 'get', statistic: 'median', limit: 0.05 },
      { text: 'get.p999>2.5%', backend: null, action: 'get', statistic: 'p99.9', limit: 0.025 },
    ]);
  });

  it('parses p99.9, wildcards, and backend-targeted rules whose labels hold commas and slashes', () => {
    const [a, b, c] = parseFailOn('*.p99.9>20%;fanout:shards=8,timeout=1/set.p50>3%,./test/slow.ts/throughput>15%');
    expect(a).toMatchObject({ backend: null, action: '*', statistic: 'p99.9', limit: 0.2 });
    expect(b).toMatchObject({ backend: 'fanout:shards=8,timeout=1', action: 'set', statistic: 'median', limit: 0.03 });
    expect(c).toMatchObject({ backend: './test/slow.ts', action: 'all', statistic: 'throughput', limit: 0.15 });
  });

  it('reads throughput once per backend: bare, with * or all as the action, and refuses a per-action throughput rule', () => {
    for (const text of ['throughput>10%', 'ops>10%', '*.throughput>10%', 'all.ops>10%']) {
      expect(parseFailOn(text)[0]).toMatchObject({ backend: null, action: 'all', statistic: 'throughput', limit: 0.1 });
    }
    expect(parseFailOn('fanout:shards=8,timeout=1/throughput>5%')[0]).toMatchObject({
      backend: 'fanout:shards=8,timeout=1',
      action: 'all',
    });
    expect(() => parseFailOn('get.throughput>10%')).toThrow(
      /throughput is compared once per backend .*write "throughput>10%"/,
    );
    expect(() => parseFailOn('sqlite/set.ops>5%')).toThrow(/write "sqlite\/throughput>5%"/);
  });

  it.each([
    ['', /empty/],
    ['set.p99', /no limit/],
    ['set.p99>10', /must be a non-negative percentage/],
    ['set.p99>-5%', /must be a non-negative percentage/],
    ['set.p100>10%', /unknown statistic "p100"/],
    ['setp99>10%', /expected \[backend\/\]action\.statistic>N%/],
    ['set.p99<10%', /with ">"/],
    ['set.p99>10%,get.median', /"get.median" has no limit/],
  ])('rejects %j with a message naming the problem', (text, message) => {
    expect(() => parseFailOn(text)).toThrow(ThresholdError);
    expect(() => parseFailOn(text)).toThrow(message);
  });
});

function row(
  backend: string,
  action: string,
  statistic: ComparisonRow['statistic'],
  verdict: Verdict,
  ratio: number,
): ComparisonRow {
  const kind = statistic === 'throughput' ? 'rate' : 'latency';
  const regression = kind === 'latency' ? ratio - 1 : 1 - ratio;
  return {
    backend,
    action,
    statistic,
    kind,
    verdict,
    ratio,
    regression,
    gateRegression: regression,
    base: { runs: 5, value: 100 },
    head: { runs: 5, value: 100 * ratio },
    ci: [ratio * 0.9, ratio * 1.1],
    pValue: 0.01,
  };
}

function report(rows: ComparisonRow[]): ComparisonReport {
  return {
    schema: COMPARE_SCHEMA,
    version: COMPARE_VERSION,
    scenario: 's',
    mode: 'repeated-runs',
    reference: 'sqlite-raw',
    baseRuns: 5,
    headRuns: 5,
    alpha: 0.05,
    confidence: 0.95,
    seed: 1,
    resamples: 100,
    notes: [],
    rows,
    failures: [],
  };
}

describe('evaluateGate', () => {
  const rows = [
    row('sqlite', 'set', 'p99', 'slower', 1.25),
    row('sqlite', 'get', 'median', 'no significant change', 1.3),
    row('redis', 'set', 'p99', 'slower', 1.05),
    row('redis', 'all', 'throughput', 'slower', 0.8),
  ];

  it('fails only on significant regressions beyond the limit', () => {
    const gate = evaluateGate(report(rows), parseFailOn('set.p99>10%,get.median>5%'));
    expect(gate.failed).toBe(true);
    expect(gate.failures.map((f) => `${f.row.backend}/${f.row.action}.${f.row.statistic}`)).toEqual(['sqlite/set.p99']);
  });

  it('reads a throughput drop as a regression', () => {
    expect(evaluateGate(report(rows), parseFailOn('throughput>15%')).failed).toBe(true);
    expect(evaluateGate(report(rows), parseFailOn('redis/throughput>15%')).failed).toBe(true);
    expect(evaluateGate(report(rows), parseFailOn('throughput>25%')).failed).toBe(false);
    expect(() => evaluateGate(report(rows), parseFailOn('sqlite/throughput>15%'))).toThrow(/matches nothing/);
  });

  it('targets one backend', () => {
    expect(evaluateGate(report(rows), parseFailOn('redis/set.p99>10%')).failed).toBe(false);
    expect(evaluateGate(report(rows), parseFailOn('redis/set.p99>4%')).failed).toBe(true);
  });

  it.each([
    ['memcached/set.p99>10%', /no backend "memcached"/],
    ['sqlite-raw/set.p99>10%', /is the --reference backend/],
    ['incr.p99>10%', /no action "incr"/],
    ['set.p90>10%', /statistic p90 was not computed/],
  ])('rejects rule %j that matches nothing, so a typo cannot disable the gate', (text, message) => {
    expect(() => evaluateGate(report(rows), parseFailOn(text))).toThrow(message);
  });
});
