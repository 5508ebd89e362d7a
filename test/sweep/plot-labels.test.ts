import { describe, expect, it } from 'vitest';
import { getBackendFactory } from '../../backends/registry.js';
import type { ResultsFile } from '../../results/results.js';
import { renderSvg } from '../../reports/render-plot.js';
import { getScenario } from '../../scenarios/registry.js';
import { parseGridArgs } from '../../sweep/grid.js';
import { parseObjective } from '../../sweep/objective.js';
import { planSweep } from '../../sweep/plan.js';
import { formatObjective } from '../../sweep/ranking-table.js';
import { heatmapSpec } from '../../sweep/specs/heatmap-spec.js';
import { repeatsLabels, repeatsSpec, wrapLabel } from '../../sweep/specs/repeats-spec.js';
import { summarizeSweep } from '../../sweep/summary.js';
import { fakeResults } from './fixtures.js';

const sqlite = getBackendFactory('sqlite');

function summary(tokens: string[], p99: (index: number, repeat: number) => number) {
  const plan = planSweep({
    scenario: getScenario('talk'),
    parameters: {},
    factory: sqlite,
    grid: parseGridArgs(tokens, sqlite),
    repeat: 2,
    seed: 1,
    sizes: { procs: 2, ops: 100, warmupOps: 0 },
  });
  const results = new Map<string, ResultsFile>();
  for (const run of plan.runs) {
    const c = plan.combinations[run.combination]!;
    results.set(run.id, fakeResults(c.backend, c.procs, { get: { p99: p99(c.index, run.repeat) } }));
  }
  return summarizeSweep(plan, results, parseObjective('get.p99'));
}

describe('sweep plot labels', () => {
  it('repeats plot labels name only the axes that differ, are unique, and wrap instead of being cut', () => {
    // mmap_size has one value: it is the same in every configuration, so it is not in the labels.
    const s = summary(
      ['journal_mode=wal,delete', 'synchronous=off,normal,full', 'mmap_size=0', 'cache_size=1000,100000'],
      (i, r) => 20_000 + i * 997 + r,
    );
    const labels = [...repeatsLabels(s.combinations).values()];
    expect(new Set(labels).size).toBe(s.combinations.length);
    expect(labels.some((l) => l.includes('mmap_size'))).toBe(false);
    expect(labels).toContain('journal_mode=delete synchronous=full cache_size=100000');
    expect(labels).toContain('defaults');
    for (const l of labels) expect(wrapLabel(l).join(' ')).toBe(l);
    expect(wrapLabel('a'.repeat(30) + ' ' + 'b'.repeat(30))).toEqual(['a'.repeat(30), 'b'.repeat(30)]);
    const spec = repeatsSpec(s)!;
    const y = ((spec as { encoding?: unknown }).encoding as { y: { sort: string[]; axis: { labelLimit: number } } }).y;
    expect(new Set(y.sort).size).toBe(y.sort.length);
    expect(y.axis.labelLimit).toBeGreaterThan(360);
  });

  it('the heat-map legend prints latencies with the same 3 significant digits as its cells', async () => {
    const s = summary(
      ['journal_mode=wal,delete', 'synchronous=off,full'],
      (i) => [27_951, 41_234, 95_500, 999_960, 33_000][i] ?? 50_000,
    );
    const svg = await renderSvg(heatmapSpec(s, 'journal_mode', 'synchronous')!);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
    const durations = texts.filter((t) => / (ns|µs|ms|s)$/.test(t));
    const cells = s.combinations.filter((c) => !c.added).map((c) => formatObjective('latency', c.objective.median));
    for (const cell of cells) expect(texts).toContain(cell);
    expect(cells).toContain('28.0 µs'); // 27,951 ns
    expect(cells).toContain('1.00 ms'); // 999,960 ns: rounded first, then the unit
    // Legend ticks too (more than the 4 cells): every duration on the plot has 3 significant digits, as the cells do.
    expect(durations.length).toBeGreaterThan(cells.length);
    for (const t of durations) expect(t).toMatch(/^(\d{3}|\d{2}\.\d|\d\.\d{2}) (µs|ms|s)$/);
  });
});
