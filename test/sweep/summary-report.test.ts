import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getBackendFactory } from '../../backends/registry.js';
import type { ResultsFile } from '../../results/results.js';
import { getScenario } from '../../scenarios/registry.js';
import { confirmationId } from '../../sweep/confirm.js';
import { parseGridArgs } from '../../sweep/grid.js';
import { parseObjective } from '../../sweep/objective.js';
import { planSweep, type SweepPlan } from '../../sweep/plan.js';
import { rankingTable } from '../../sweep/ranking-table.js';
import { heatmapData } from '../../sweep/specs/heatmap-spec.js';
import { summarizeSweep } from '../../sweep/summary.js';
import { writeSweepOutputs } from '../../sweep/write-outputs.js';
import { fakeResults } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-sweep-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sqlite = getBackendFactory('sqlite');

function plan(tokens: string[], repeat = 3): SweepPlan {
  return planSweep({
    scenario: getScenario('talk'),
    parameters: {},
    factory: sqlite,
    grid: parseGridArgs(tokens, sqlite),
    repeat,
    seed: 1,
    sizes: { procs: 2, ops: 100, warmupOps: 0 },
  });
}

/** Fills every planned run with `figures(combination label, repeat)`. */
function fill(
  p: SweepPlan,
  figures: (label: string, repeat: number, procs: number) => Parameters<typeof fakeResults>[2] | 'errored',
): Map<string, ResultsFile> {
  const results = new Map<string, ResultsFile>();
  for (const run of p.runs) {
    const c = p.combinations[run.combination]!;
    const f = figures(c.label, run.repeat, c.procs);
    results.set(
      run.id,
      f === 'errored' ? fakeResults(c.backend, c.procs, {}, 'errored') : fakeResults(c.backend, c.procs, f),
    );
  }
  return results;
}

describe('sweep summary and report', () => {
  it('ranks by the objective, recommends per process count, and writes the report with heat-map, timeout and scaling plots', async () => {
    const p = plan(['synchronous=off,full', 'timeout=0.001,0.1', 'procs=1,2']);
    // full is slow; a short timeout trades misses for latency; 2 procs are slower than 1.
    const results = fill(p, (label, repeat, procs) => {
      const base =
        (label.includes('full') ? 300_000 : label.startsWith('defaults') ? 100_000 : 50_000) * procs + repeat * 100;
      const short = label.includes('timeout=0.001');
      return {
        get: { p99: short ? base / 2 : base, misses: short ? 200 : 10, timeouts: short ? 50 : 0 },
        set: { p99: base * 3 },
      };
    });
    const out = join(dir, 'three-axes');
    // Grid repeats alone (3 each, 7 rivals) cannot pass the multiple-comparison correction.
    const gridOnly = summarizeSweep(p, results, parseObjective('get.p99'));
    expect(gridOnly.recommendations.map((r) => [r.best.label, r.basis, r.exceedsNoise])).toEqual([
      ['synchronous=off timeout=0.001 procs=1', 'grid', false],
      ['synchronous=off timeout=0.001 procs=2', 'grid', false],
    ]);
    // A confirmation round of fresh runs of each best and its defaults does.
    const confirmations = new Map<string, ResultsFile>();
    for (const r of gridOnly.recommendations) {
      for (const [index, p99] of [
        [r.best.index, r.best.median],
        [r.reference!.index, r.reference!.median],
      ] as const) {
        const c = p.combinations[index]!;
        for (let n = 1; n <= 6; n++)
          confirmations.set(confirmationId(index, n), fakeResults(c.backend, c.procs, { get: { p99: p99 + n } }));
      }
    }
    const { summary, summaryPath, html, markdown } = await writeSweepOutputs(
      p,
      results,
      parseObjective('get.p99'),
      out,
      { confirmations },
    );
    expect(summary.recommendations.every((r) => r.basis === 'confirmation' && r.runs!.join() === '6,6')).toBe(true);

    const medians = summary.combinations.map((c) => c.objective.median!);
    expect([...medians].sort((a, b) => a - b)).toEqual(medians);
    expect(summary.combinations[0]!.label).toBe('synchronous=off timeout=0.001 procs=1');
    expect(summary.recommendations.map((r) => [r.context, r.recommended.label, r.exceedsNoise])).toEqual([
      ['procs=1', 'synchronous=off timeout=0.001 procs=1', true],
      ['procs=2', 'synchronous=off timeout=0.001 procs=2', true],
    ]);
    expect(summary.recommended.context).toBe('procs=2');
    const best = summary.combinations[0]!;
    expect(best.actions.get).toMatchObject({ missRate: 0.2, timeoutRate: 0.05 });
    expect(best.objective.values).toHaveLength(3);

    expect(JSON.parse(readFileSync(summaryPath, 'utf8')).schema).toBe('cachebench/sweep-summary');
    for (const name of [
      'repeats',
      'heatmap-synchronous-timeout',
      'heatmap-synchronous-procs',
      'heatmap-timeout-procs',
      'miss-rate-vs-timeout-get',
      'p99-vs-timeout-get',
      'scaling',
    ]) {
      expect(existsSync(join(out, 'report', 'plots', `${name}.svg`)), name).toBe(true);
      expect(existsSync(join(out, 'report', 'plots', `${name}.png`)), name).toBe(true);
    }
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<h2>Recommendation</h2>');
    expect(page).toContain('synchronous=off timeout=0.001 procs=2');
    expect((page.match(/<svg/g) ?? []).length).toBe(7);
    const md = readFileSync(markdown, 'utf8');
    expect(md).toMatch(/\| 1 \| \*\*synchronous=off timeout=0\.001 procs=1 ★\*\* \|/);
    expect(md).toContain('![get miss rate vs timeout](plots/miss-rate-vs-timeout-get.png)');
  });

  it('heat-map cells hold the best over the other axes', () => {
    const p = plan(['synchronous=off,full', 'journal_mode=wal,delete', 'mmap_size=0,1MiB'], 1);
    const results = fill(p, (label) => ({
      get: {
        p99:
          (label.includes('mmap_size=0') ? 1000 : 2000) +
          (label.includes('delete') ? 10 : 0) +
          (label.includes('full') ? 100 : 0),
      },
    }));
    const summary = writeSummaryOnly(p, results);
    const cells = heatmapData(summary, 'synchronous', 'journal_mode');
    expect(cells).toHaveLength(4);
    expect(cells.find((c) => c.x === 'full' && c.y === 'delete')!.value).toBe(1110);
    expect(cells.find((c) => c.x === 'off' && c.y === 'wal')!.value).toBe(1000);
  });

  it('reports failed runs and leaves them out of the medians', async () => {
    const p = plan(['synchronous=off,full'], 2);
    const results = fill(p, (label, repeat) =>
      label.includes('full') && repeat === 1 ? 'errored' : { get: { p99: label.includes('full') ? 500 : 1000 } },
    );
    const { summary } = await writeSweepOutputs(p, results, parseObjective('get.p99'), join(dir, 'failed'), {
      png: false,
    });
    const full = summary.combinations.find((c) => c.label === 'synchronous=full')!;
    expect(full.completed).toBe(1);
    expect(full.problems).toEqual(['errored: worker 0 exited with code 1']);
    // One run cannot show the margin is beyond noise.
    expect(summary.recommended.recommended.label).toBe('defaults');
  });

  it('timed-out gets are misses: rates agree for runs written before and after timeouts were timed, and the get miss column counts them once', () => {
    const p = plan(['timeout=0.001,0.1'], 2);
    // Each short-timeout combination: 200 misses in 1000 answered gets, 50 of them timeouts; repeat 1 written by an older harness.
    const results = new Map<string, ResultsFile>();
    for (const run of p.runs) {
      const c = p.combinations[run.combination]!;
      const short = c.label.includes('timeout=0.001');
      results.set(
        run.id,
        fakeResults(
          c.backend,
          c.procs,
          { get: { p99: short ? 500 : 1000, misses: short ? 200 : 10, timeouts: short ? 50 : 0 } },
          'completed',
          run.repeat === 1,
        ),
      );
    }
    const summary = writeSummaryOnly(p, results);
    const short = summary.combinations.find((c) => c.label === 'timeout=0.001')!;
    expect(short.actions.get).toMatchObject({ missRate: 0.2, timeoutRate: 0.05 });
    const table = rankingTable(summary);
    const column = table.header.indexOf('get miss');
    expect(column).toBeGreaterThan(0);
    expect(table.rows[summary.combinations.indexOf(short)]![column]).toBe('20.0%');
  });

  it("when nothing can be ranked, says whether no run completed or the runs lacked the objective's action", () => {
    const p = plan(['synchronous=off,full'], 1);
    expect(() =>
      summarizeSweep(
        p,
        fill(p, () => 'errored'),
        parseObjective('get.p99'),
      ),
    ).toThrow(
      'no run of the sweep completed (3 errored); the first says: worker 0 exited with code 1; see runs/*.json in the sweep folder',
    );
    expect(() =>
      summarizeSweep(
        p,
        fill(p, () => ({ get: { p99: 1000 } })),
        parseObjective('set.p99'),
      ),
    ).toThrow(
      '3 run(s) completed, but none recorded set for --objective set.p99 (they measured get); re-run the same command with an --objective over those actions to re-summarise',
    );
  });
});

function writeSummaryOnly(p: SweepPlan, results: Map<string, ResultsFile>) {
  return summarizeSweep(p, results, parseObjective('get.p99'));
}
