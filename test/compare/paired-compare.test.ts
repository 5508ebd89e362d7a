import { describe, expect, it } from 'vitest';
import { compare } from '../../compare/compare.js';
import { formatTable } from '../../compare/format-table.js';
import { evaluateGate, parseFailOn } from '../../compare/thresholds.js';
import type { ResultsFile } from '../../results/results.js';
import { syntheticRun } from './fixtures/synthetic-results.js';

// A machine with slow phases: each pair ran in its own phase, up to 2.2× slower than the fastest.
const PHASES = [1.0, 1.6, 0.9, 2.2, 1.2, 1.0, 1.8, 1.1];

/** Pair i: base and head in the same phase and with the same seed, each with its own draws. */
function pairs(headMedianNs: number, count = PHASES.length): { base: ResultsFile[]; head: ResultsFile[] } {
  const base: ResultsFile[] = [];
  const head: ResultsFile[] = [];
  for (let i = 0; i < count; i++) {
    const phase = PHASES[i % PHASES.length]!;
    base.push(
      syntheticRun({
        seed: 100 + i,
        machineFactor: phase,
        machineNoise: 0.01,
        backends: { sqlite: { set: { medianNs: 20_000, sigma: 0.3 } } },
      }),
    );
    const h = syntheticRun({
      seed: 200 + i,
      machineFactor: phase,
      machineNoise: 0.01,
      backends: { sqlite: { set: { medianNs: headMedianNs, sigma: 0.3 } } },
    });
    head.push({ ...h, run: { ...h.run, seed: 100 + i } });
  }
  return { base, head };
}

const medianRow = (report: ReturnType<typeof compare>) => report.rows.find((r) => r.statistic === 'median')!;

describe('compare with paired runs', () => {
  it('pairs runs by seed and sees a 10% slowdown through phases that move whole runs by up to 2.2×', () => {
    const { base, head } = pairs(22_000);
    const report = compare(base, head, { statistics: ['median', 'p99'] });
    expect(report.mode).toBe('paired-runs');
    const row = medianRow(report);
    expect(row.verdict).toBe('slower');
    expect(row.ratio).toBeGreaterThan(1.05);
    expect(row.ratio).toBeLessThan(1.15);
    expect(row.detectable).toBeLessThan(0.1);
    // The same runs judged as independent samples drown in the phases.
    const unpaired = compare(base, head, { statistics: ['median'], pairing: 'off' });
    expect(unpaired.mode).toBe('repeated-runs');
    expect(medianRow(unpaired).verdict).toBe('no significant change');
    expect(medianRow(unpaired).detectable).toBeGreaterThan(0.3);
  });

  it("finds each head run's partner whatever order the files come in", () => {
    const { base, head } = pairs(22_000);
    const shuffled = [...head].reverse();
    expect(medianRow(compare(base, shuffled, { statistics: ['median'] }))).toEqual(
      medianRow(compare(base, head, { statistics: ['median'] })),
    );
  });

  it('calls identical code unchanged and says what it could have caught', () => {
    const { base, head } = pairs(20_000);
    const report = compare(base, head, { statistics: ['median'] });
    expect(medianRow(report).verdict).toBe('no significant change');
    const gate = evaluateGate(report, parseFailOn('set.median>5%'));
    expect(gate.failed).toBe(false);
    expect(gate.sensitivity).toHaveLength(1);
    const reach = gate.sensitivity[0]!.detectable as number;
    expect(reach).toBeGreaterThan(0.05);
    expect(reach).toBeLessThan(0.2);
    expect(formatTable(report, gate)).toMatch(
      /gate: passed .*; with this noise, set\.median>5% would have caught a regression of \+\d+(\.\d)?% or more 80% of the time/,
    );
  });

  it('falls back to independent runs with fewer pairs than the signed-rank test needs, and says so', () => {
    const { base, head } = pairs(22_000, 5);
    const report = compare(base, head, { statistics: ['median'] });
    expect(report.mode).toBe('repeated-runs');
    expect(report.notes.join('\n')).toMatch(/5 pairs are too few for the signed-rank test \(it needs ≥ 6/);
  });

  it('does not pair runs whose seeds do not match one to one', () => {
    const { base, head } = pairs(22_000);
    const mismatched = head.map((h, i) => (i === 0 ? { ...h, run: { ...h.run, seed: 999 } } : h));
    expect(compare(base, mismatched, { statistics: ['median'] }).mode).toBe('repeated-runs');
  });
});
