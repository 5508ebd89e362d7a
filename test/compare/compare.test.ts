import { describe, expect, it } from 'vitest';
import { compare } from '../../compare/compare.js';
import { formatMarkdown, MARKDOWN_MARKER } from '../../compare/format-markdown.js';
import { formatTable } from '../../compare/format-table.js';
import { runsNeededPerSide } from '../../compare/mann-whitney.js';
import { evaluateGate, parseFailOn } from '../../compare/thresholds.js';
import { syntheticRun, syntheticRuns } from './fixtures/synthetic-results.js';

const plain = {
  sqlite: { get: { medianNs: 3_000 }, set: { medianNs: 5_000 } },
  'sqlite-raw': { get: { medianNs: 2_000 }, set: { medianNs: 3_000 } },
};

describe('compare with repeated runs', () => {
  it('reports every backend × action × statistic with a ratio, CI and verdict', () => {
    const report = compare(syntheticRuns(5, 1, { backends: plain }), syntheticRuns(5, 11, { backends: plain }));
    expect(report.mode).toBe('repeated-runs');
    // 2 backends × (2 actions × 4 latency statistics + one throughput row).
    expect(report.rows).toHaveLength(2 * (2 * 4 + 1));
    for (const row of report.rows) {
      expect(row.ci).not.toBeNull();
      expect(row.ci![0]).toBeLessThanOrEqual(row.ratio);
      expect(row.ci![1]).toBeGreaterThanOrEqual(row.ratio);
      expect(row.head.values).toHaveLength(5);
      expect(row.ratio).toBeCloseTo(row.head.value / row.base.value, 12);
    }
  });

  it('calls a uniformly faster head faster, throughput included', () => {
    const fast = { sqlite: { get: { medianNs: 2_000 }, set: { medianNs: 3_000 } }, 'sqlite-raw': plain['sqlite-raw'] };
    const report = compare(syntheticRuns(5, 1, { backends: plain }), syntheticRuns(5, 11, { backends: fast }));
    const sqliteMedians = report.rows.filter(
      (r) => r.backend === 'sqlite' && (r.statistic === 'median' || r.statistic === 'throughput'),
    );
    expect(sqliteMedians.map((r) => [r.action, r.statistic, r.verdict])).toEqual([
      ['get', 'median', 'faster'],
      ['set', 'median', 'faster'],
      ['all', 'throughput', 'faster'],
    ]);
    expect(evaluateGate(report, parseFailOn('*.median>5%,*.throughput>5%')).failed).toBe(false);
  });

  it("reports throughput once per backend: every action's operations over the run's seconds", () => {
    const base = syntheticRuns(5, 1, { backends: plain });
    const head = syntheticRuns(5, 11, { backends: plain });
    const report = compare(base, head);
    const throughput = report.rows.filter((r) => r.statistic === 'throughput');
    expect(throughput.map((r) => [r.backend, r.action])).toEqual([
      ['sqlite', 'all'],
      ['sqlite-raw', 'all'],
    ]);
    const sqlite = (f: (typeof base)[number]) => f.backends.find((b) => b.label === 'sqlite')!.actions;
    expect(throughput[0]!.base.values).toEqual(base.map((f) => sqlite(f).get!.throughput + sqlite(f).set!.throughput));
    // Latency rows stay per action.
    expect(report.rows.filter((r) => r.statistic === 'p99' && r.backend === 'sqlite').map((r) => r.action)).toEqual([
      'get',
      'set',
    ]);
  });

  it('is reproducible for a seed and moves the CI with another seed', () => {
    const base = syntheticRuns(5, 1, { backends: plain });
    const head = syntheticRuns(5, 11, { backends: plain });
    expect(compare(base, head, { seed: 7 })).toEqual(compare(base, head, { seed: 7 }));
    const a = compare(base, head, { seed: 7 }).rows.map((r) => r.ci);
    const b = compare(base, head, { seed: 8 }).rows.map((r) => r.ci);
    expect(a).not.toEqual(b);
  });

  it('--reference cancels a slower machine on the head side', () => {
    const base = syntheticRuns(5, 1, { backends: plain });
    const head = syntheticRuns(5, 11, { backends: plain, machineFactor: 1.3 });
    const raw = compare(base, head, { statistics: ['median'] });
    expect(raw.rows.find((r) => r.backend === 'sqlite' && r.action === 'get')!.verdict).toBe('slower');
    const normalised = compare(base, head, { statistics: ['median'], reference: 'sqlite-raw' });
    expect(normalised.rows.map((r) => r.backend)).not.toContain('sqlite-raw');
    expect(normalised.rows.every((r) => r.verdict === 'no significant change')).toBe(true);
    expect(normalised.rows[0].base.value).toBeCloseTo(1.5, 1); // 3 µs / 2 µs
  });

  it('--reference still sees a regression of the backend itself', () => {
    const slowSet = { ...plain, sqlite: { ...plain.sqlite, set: { medianNs: 5_000, tailSlowdown: 0.5 } } };
    const report = compare(
      syntheticRuns(5, 1, { backends: plain }),
      syntheticRuns(5, 11, { backends: slowSet, machineFactor: 0.8 }),
      {
        reference: 'sqlite-raw',
      },
    );
    const gate = evaluateGate(report, parseFailOn('set.p99>20%'));
    expect(gate.failures.map((f) => f.row.backend)).toEqual(['sqlite']);
  });
});

describe('compare with too few runs', () => {
  const slowSet = { ...plain, sqlite: { ...plain.sqlite, set: { medianNs: 5_000, tailSlowdown: 2 } } };

  it.each([
    [1, 1],
    [2, 2],
    [3, 3],
    [1, 5],
  ])(
    '%i vs %i runs: every row is reported but "not judged", and a gate over them is "not judged", never passed',
    (nBase, nHead) => {
      // Identical code: exactly the case where within-run intervals cried wolf.
      const report = compare(
        syntheticRuns(nBase, 1, { backends: plain }),
        syntheticRuns(nHead, 11, { backends: plain }),
      );
      expect(report.mode).toBe('too-few-runs');
      expect(report.notes.join(' ')).toMatch(
        /not judged \(need ≥ 4 runs a side\): a --fail-on gate that names them exits 2 \(not judged\) rather than pass.*--judge-within-run/,
      );
      expect(report.rows).toHaveLength(2 * (2 * 4 + 1));
      for (const row of report.rows) {
        expect([row.verdict, row.note, row.ci, row.pValue, row.gateRegression]).toEqual([
          'not judged',
          'need ≥ 4 runs a side',
          null,
          null,
          0,
        ]);
        expect(row.ratio).toBeCloseTo(row.head.value / row.base.value, 12);
        expect(row.base.values).toHaveLength(nBase);
      }
      const gate = evaluateGate(report, parseFailOn('*.p99>0%,*.median>0%,*.p99.9>0%,throughput>0%'));
      expect(gate.failed).toBe(false);
      // Every row the rules name: sqlite and sqlite-raw × get and set × 3 latency rules, plus both throughput rows.
      expect(new Set(gate.unjudged.map((u) => u.row)).size).toBe(2 * 2 * 3 + 2);
      const table = formatTable(report, gate);
      expect(table).toMatch(
        new RegExp(
          `^gate: NOT JUDGED — 14 row\\(s\\) named by --fail-on could not be judged: .* \\(need ≥ 4 runs a side\\)\\. ${nBase} base and ${nHead} head run\\(s\\) given; run each side at least 4 times`,
          'm',
        ),
      );
      expect(table).not.toMatch(/gate: passed/);
      expect(table).toMatch(/not judged \(need ≥ 4 runs a side\)/);
      expect(formatMarkdown(report, gate)).toMatch(/⚠️ gate: NOT JUDGED/);
    },
  );

  it('a large regression is still shown by its ratio, but not judged without enough runs', () => {
    const report = compare(syntheticRuns(3, 1, { backends: plain }), syntheticRuns(3, 11, { backends: slowSet }));
    const row = report.rows.find((r) => r.backend === 'sqlite' && r.action === 'set' && r.statistic === 'p99')!;
    expect(row.ratio).toBeGreaterThan(2);
    expect(row.regression).toBeCloseTo(row.ratio - 1, 12);
    expect(row.verdict).toBe('not judged');
    const gate = evaluateGate(report, parseFailOn('set.p99>50%'));
    expect(gate.failed).toBe(false);
    expect(gate.unjudged.map((u) => [u.row.backend, u.row.action, u.row.statistic])).toEqual([
      ['sqlite', 'set', 'p99'],
      ['sqlite-raw', 'set', 'p99'],
    ]);
  });

  it('with enough runs, a rule over a row that could not be judged (a run without operations) leaves the gate not judged', () => {
    const head = syntheticRuns(5, 11, { backends: plain });
    head[2]!.backends.find((b) => b.label === 'sqlite')!.actions.set!.percentiles.p99 = 0;
    const report = compare(syntheticRuns(5, 1, { backends: plain }), head);
    expect(report.mode).toBe('repeated-runs');
    const gate = evaluateGate(report, parseFailOn('sqlite/set.p99>10%,sqlite/get.p99>10%'));
    expect(gate.failed).toBe(false);
    expect(gate.unjudged.map((u) => u.rule.text)).toEqual(['sqlite/set.p99>10%']);
    expect(formatTable(report, gate)).toMatch(
      /^gate: NOT JUDGED — 1 row\(s\) named by --fail-on could not be judged: sqlite\/set\.p99 \(a run recorded no operations \(or a zero reference\)\)\. a run without operations cannot be judged; re-run it$/m,
    );
  });

  it('the number of runs needed follows alpha', () => {
    expect(runsNeededPerSide(0.05)).toBe(4);
    expect(runsNeededPerSide(0.01)).toBe(5);
    const report = compare(syntheticRuns(4, 1, { backends: plain }), syntheticRuns(4, 11, { backends: plain }), {
      alpha: 0.01,
    });
    expect(report.mode).toBe('too-few-runs');
    expect(report.rows[0]!.note).toBe('need ≥ 5 runs a side');
    expect(compare(syntheticRuns(4, 1, { backends: plain }), syntheticRuns(4, 11, { backends: plain })).mode).toBe(
      'repeated-runs',
    );
  });

  describe('with judgeWithinRun (--judge-within-run)', () => {
    it('one run each: within-run intervals, throughput not judged, a note on the risk', () => {
      const report = compare(
        [syntheticRun({ seed: 1, backends: plain })],
        [syntheticRun({ seed: 2, backends: plain })],
        { judgeWithinRun: true },
      );
      expect(report.mode).toBe('single-run');
      expect(report.notes.join(' ')).toMatch(
        /one run each: significance across runs cannot be judged\. --judge-within-run: .*ignore run-to-run noise, so unchanged code can be called slower/,
      );
      const throughput = report.rows.filter((r) => r.statistic === 'throughput');
      expect(throughput.every((r) => r.verdict === 'not judged' && r.ci === null)).toBe(true);
      const p99 = report.rows.filter((r) => r.statistic === 'p99');
      expect(p99.every((r) => r.ci !== null && r.ci[0] <= r.ratio && r.ratio <= r.ci[1] && r.pValue === null)).toBe(
        true,
      );
    });

    it('fails the gate on a large regression, checking the conservative bound', () => {
      const report = compare(
        [syntheticRun({ seed: 1, backends: plain })],
        [syntheticRun({ seed: 2, backends: slowSet })],
        { judgeWithinRun: true },
      );
      const row = report.rows.find((r) => r.backend === 'sqlite' && r.action === 'set' && r.statistic === 'p99')!;
      expect(row.verdict).toBe('slower');
      expect(row.gateRegression).toBeCloseTo(row.ci![0] - 1, 12);
      expect(row.gateRegression).toBeLessThan(row.regression);
      expect(evaluateGate(report, parseFailOn('set.p99>50%')).failed).toBe(true);
    });

    it('3 vs 3 falls back to merged histograms and says the rank test could never reach alpha', () => {
      const report = compare(syntheticRuns(3, 1, { backends: plain }), syntheticRuns(3, 11, { backends: plain }), {
        judgeWithinRun: true,
      });
      expect(report.mode).toBe('single-run');
      expect(report.notes[0]).toMatch(
        /3 base and 3 head runs: the rank test cannot reach p < 0.05 \(smallest possible p = 0.100\)/,
      );
    });

    it('changes nothing when there are enough runs for the rank test', () => {
      const base = syntheticRuns(5, 1, { backends: plain });
      const head = syntheticRuns(5, 11, { backends: plain });
      expect(compare(base, head, { judgeWithinRun: true })).toEqual(compare(base, head));
    });
  });
});

describe('formatting', () => {
  const slowSet = { ...plain, sqlite: { ...plain.sqlite, set: { medianNs: 5_000, tailSlowdown: 0.5 } } };
  const report = compare(syntheticRuns(5, 1, { backends: plain }), syntheticRuns(5, 11, { backends: slowSet }));
  const gate = evaluateGate(report, parseFailOn('set.p99>10%'));

  it('the table names the method, each row, and the failing rule', () => {
    const text = formatTable(report, gate);
    expect(text).toMatch(/Mann-Whitney U/);
    expect(text.split('\n').filter((l) => l.startsWith('sqlite '))).toHaveLength(2 * 4 + 1);
    expect(text).toMatch(/slower — FAILS set\.p99>10%/);
    expect(text).toMatch(/gate: FAILED — sqlite\/set\.p99 \+\d+%/);
  });

  it('the Markdown leads with the gate and significant changes and collapses the rest', () => {
    const markdown = formatMarkdown(report, gate);
    expect(markdown.startsWith(MARKDOWN_MARKER)).toBe(true);
    expect(markdown).toMatch(/❌ gate: FAILED/);
    const [significant, all] = markdown.split('<details>');
    expect(significant).toMatch(/\| sqlite \| set \| p99 \|/);
    expect(significant).not.toMatch(/\| sqlite \| get \| median \|/);
    expect(all).toMatch(/All 18 rows/);
  });
});
