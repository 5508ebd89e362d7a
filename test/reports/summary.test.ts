import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../results/results.js';
import {
  collectSeries,
  mergeResults,
  renderSummary,
  ReportError,
  summarize,
  type Summary,
} from '../../reports/index.js';
import { escapeHtml } from '../../reports/html-page.js';
import { summaryHtml } from '../../reports/render-summary.js';
import { constant, makeResults, type BackendFixture } from './fixtures/make-results.js';

/** Every sample of an action the same latency: the percentiles are that value (to HDR's 3 digits). */
function backend(label: string, getNs: number, setNs: number, count = 2_000): BackendFixture {
  return {
    label,
    actions: { get: { count, distribution: constant(getNs) }, set: { count, distribution: constant(setNs) } },
  };
}

function summaryOf(files: ResultsFile[], reference?: string): Summary {
  return summarize(files, collectSeries(files), { reference });
}

const rel = (actual: number, expected: number): void => expect(Math.abs(actual / expected - 1)).toBeLessThan(0.002);

describe('summary of one results file', () => {
  const file = makeResults({
    backends: [
      backend('redis', 200_000, 300_000),
      backend('sqlite', 14_000, 50_000),
      backend('sqlite-raw', 13_300, 40_000),
    ],
  });
  const summary = summaryOf([file]);

  it('ranks by median, fastest first, with ratios to the fastest rival and to the sqlite-raw floor', () => {
    const get = summary.actions.find((a) => a.action === 'get')!;
    expect(get.byMedian.map((e) => e.label)).toEqual(['sqlite-raw', 'sqlite', 'redis']);
    expect(summary.reference).toBe('sqlite-raw');
    const [raw, sqlite, redis] = get.byMedian;
    // The floor is the yardstick, not a competitor: sqlite is the best of the rest.
    rel(raw!.medianVsBest.value, 13_300 / 14_000);
    expect(sqlite!.medianVsBest.value).toBe(1);
    rel(redis!.medianVsBest.value, 200_000 / 14_000);
    rel(sqlite!.medianVsReference!.value, 14_000 / 13_300);
    rel(redis!.medianVsReference!.value, 200_000 / 13_300);
    rel(sqlite!.median.value, 14_000);
    // One run: a figure, no range.
    expect(sqlite!.median.low).toBeUndefined();
    expect(summary.runs).toBe(1);
  });

  it('says it in words: who is fastest, by how much, and against the reference', () => {
    const text = renderSummary(summary);
    expect(text).toMatch(/^Summary \(ranked by median/);
    expect(text).toContain(
      'get median: sqlite fastest, 14.3× faster than redis; against sqlite-raw (reference): sqlite 1.05× slower, redis 15.0× slower',
    );
    // HDR keeps three significant digits: 300 µs / 40 µs prints as 7.49 or 7.50.
    expect(text).toMatch(
      /set median: sqlite fastest, 6\.00× faster than redis; against sqlite-raw \(reference\): sqlite 1\.25× slower, redis 7\.(49|50)× slower/,
    );
    expect(text).toMatch(/^ {2}sqlite-raw \(ref\) +13\.3 µs +0\.95× +1\.00× /m);
    // The table has ops/s, and throughput follows the rankings.
    expect(text).toMatch(/ {2}get +median +×best +×sqlite-raw +p99 +×best +×sqlite-raw +ops\/s/);
    expect(text.indexOf('throughput, answered ops/s')).toBeGreaterThan(text.indexOf('set median'));
  });

  it('falls back to memory as the floor, and takes --reference by label', () => {
    const withMemory = makeResults({ backends: [backend('memory', 1_000, 1_000), backend('sqlite', 14_000, 50_000)] });
    expect(summaryOf([withMemory]).reference).toBe('memory');
    const chosen = summaryOf([file], 'redis');
    expect(chosen.reference).toBe('redis');
    const sqlite = chosen.actions[0]!.byMedian.find((e) => e.label === 'sqlite')!;
    rel(sqlite.medianVsReference!.value, 14_000 / 200_000);
    expect(renderSummary(chosen)).toContain(
      'get median: sqlite-raw fastest, 1.05× faster than sqlite; against redis (reference): sqlite-raw 15.0× faster, sqlite 14.3× faster',
    );
  });

  it('has no reference column without a floor or --reference', () => {
    const none = summaryOf([
      makeResults({ backends: [backend('redis', 200_000, 300_000), backend('sqlite', 14_000, 50_000)] }),
    ]);
    expect(none.reference).toBeUndefined();
    expect(renderSummary(none)).toContain(
      'get median: sqlite 14.3× faster than redis'.replace('sqlite 14.3×', 'sqlite fastest, 14.3×'),
    );
    expect(renderSummary(none)).not.toContain('against');
  });

  it('refuses a --reference that names no backend, naming the choices', () => {
    expect(() => summaryOf([file], 'lmdb')).toThrow(ReportError);
    expect(() => summaryOf([file], 'lmdb')).toThrow(
      '--reference lmdb names no backend in these results; choose one of redis, sqlite, sqlite-raw',
    );
  });

  it('marks a p99 from fewer than 1,000 operations (under 10 beyond it)', () => {
    const thin = makeResults({
      backends: [
        {
          label: 'sqlite',
          actions: {
            get: { count: 2_000, distribution: constant(1_000) },
            delete: { count: 46, distribution: constant(9_000) },
          },
        },
      ],
    });
    const s = summaryOf([thin]);
    expect(s.actions.find((a) => a.action === 'get')!.byMedian[0]!.p99Thin).toBe(false);
    const del = s.actions.find((a) => a.action === 'delete')!.byMedian[0]!;
    expect(del.p99Thin).toBe(true);
    expect(del.count).toBe(46);
    expect(renderSummary(s)).toContain(
      '* p99 from 46 deletes (sqlite): fewer than 10 operations beyond it (1,000 needed)',
    );
  });
});

describe('summary of repeated runs', () => {
  // Three runs of one configuration: sqlite's get is 10, 11, 12 µs while redis's is 100, 121, 150 µs.
  const runs = [
    [10_000, 100_000],
    [11_000, 121_000],
    [12_000, 150_000],
  ].map(([sqlite, redis], i) =>
    makeResults({ seed: i + 1, backends: [backend('sqlite', sqlite!, 20_000), backend('redis', redis!, 200_000)] }),
  );

  it('gives the median over runs with the range, and ratios taken run by run', () => {
    const summary = summaryOf(runs);
    expect(summary.runs).toBe(3);
    const [sqlite, redis] = summary.actions[0]!.byMedian;
    expect(sqlite!.label).toBe('sqlite');
    rel(sqlite!.median.value, 11_000);
    rel(sqlite!.median.low!, 10_000);
    rel(sqlite!.median.high!, 12_000);
    // Per-run ratios 10, 11, 12.5: median 11, range 10–12.5 (not 121/11 from the medians' ratio alone).
    rel(redis!.medianVsBest.value, 11);
    rel(redis!.medianVsBest.low!, 10);
    rel(redis!.medianVsBest.high!, 12.5);
    const text = renderSummary(summary);
    expect(text).toContain('median over 3 runs');
    expect(text).toContain('get median: sqlite fastest, 11.0× (10.0–12.5) faster than redis');
    expect(text).toMatch(/ {2}redis +121 µs \(100–150\) +11\.0× \(10\.0–12\.5\) /);
    expect(text).toMatch(/ {2}sqlite +11\.0 µs \(10\.0–12\.0\) +1\.00× /);
  });

  it('says when the order flipped in some run', () => {
    // sqlite wins runs 1 and 2 by 2×, loses run 3 to redis.
    const flipped = [
      [10_000, 20_000],
      [10_000, 20_000],
      [30_000, 20_000],
    ].map(([sqlite, redis], i) =>
      makeResults({ seed: i + 1, backends: [backend('sqlite', sqlite!, 20_000), backend('redis', redis!, 200_000)] }),
    );
    expect(renderSummary(summaryOf(flipped))).toMatch(
      /get median: sqlite fastest, 2\.00× \(0\.67–2\.00\) faster than redis \(not in every run\)/,
    );
    expect(renderSummary(summaryOf(runs))).not.toContain('not in every run');
  });

  it("puts each range under its figure in the page, and marks the fastest rival's row", () => {
    const withFloor = runs.map((r) => {
      const copy = structuredClone(r);
      const floor = makeResults({ seed: 9, backends: [backend('memory', 1_000, 1_000)] }).backends[0]!;
      copy.backends.unshift(floor);
      return copy;
    });
    const html = summaryHtml(summaryOf(withFloor), escapeHtml);
    expect(html).toContain('<td>11.0 µs<br><span class="range">10.0–12.0</span></td>');
    // memory is the reference: the bold row is sqlite's, the fastest of the others.
    expect(html).toMatch(/<tr class="best"><td>sqlite<\/td>/);
    expect(html).toContain('<td>memory (ref)</td>');
  });

  it('reads the same runs from a merged file', () => {
    const merged = mergeResults(runs);
    const fromMerged = summaryOf([merged]);
    const fromRuns = summaryOf(runs);
    expect(fromMerged.runs).toBe(3);
    expect(fromMerged.actions).toEqual(fromRuns.actions);
  });

  it('ranks files from different hosts as separate series, without ranges', () => {
    const a = makeResults({ hostname: 'box-a', backends: [backend('sqlite', 10_000, 20_000)] });
    const b = makeResults({ hostname: 'box-b', seed: 2, backends: [backend('sqlite', 30_000, 20_000)] });
    const summary = summaryOf([a, b]);
    expect(summary.runs).toBe(1);
    expect(summary.actions[0]!.byMedian.map((e) => e.label)).toEqual(['box-a sqlite', 'box-b sqlite']);
    rel(summary.actions[0]!.byMedian[1]!.medianVsBest.value, 3);
  });
});

describe('summary throughput', () => {
  function openLoop(achieved: Record<string, number>, rate: number): ResultsFile {
    const file = makeResults({ backends: Object.keys(achieved).map((label) => backend(label, 10_000, 20_000)) });
    file.run = { ...file.run, rate, loadModel: 'open' };
    for (const b of file.backends) {
      b.actions.get!.throughput = achieved[b.label]! * 0.75;
      b.actions.set!.throughput = achieved[b.label]! * 0.25;
    }
    return file;
  }

  it('sums the actions per backend, highest first, with how many times fewer', () => {
    const file = openLoop({ sqlite: 4_000, redis: 1_000 }, 0);
    file.run = { ...file.run, rate: null, loadModel: 'closed' };
    const summary = summaryOf([file]);
    expect(summary.throughput.map((t) => [t.label, t.opsPerSecond.value])).toEqual([
      ['sqlite', 4_000],
      ['redis', 1_000],
    ]);
    expect(summary.throughput[0]!.targetOpsPerSecond).toBeUndefined();
    expect(renderSummary(summary)).toContain(
      'throughput, answered ops/s over all actions: sqlite 4,000 · redis 1,000, 4.00× fewer',
    );
  });

  it('in open loop flags a backend below 95% of the target rate', () => {
    const summary = summaryOf([openLoop({ sqlite: 990, filebased: 900 }, 1_000)]);
    const [sqlite, filebased] = summary.throughput;
    expect(sqlite).toMatchObject({ label: 'sqlite', targetOpsPerSecond: 1_000, short: false });
    expect(filebased).toMatchObject({ label: 'filebased', short: true });
    rel(filebased!.achievedFraction!, 0.9);
    const text = renderSummary(summary);
    expect(text).toContain(
      'open loop, target 1,000 ops/s: sqlite achieved 99.0% · filebased achieved 90.0% — SHORT of the target',
    );
    expect(text).toContain('below 95% of the target could not keep up');
  });
});
