import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateReport, ReportError, type ReportOutput } from '../../reports/index.js';
import { makeResults, talkResults, constant } from './fixtures/make-results.js';
import { PAGE_CSP } from '../../reports/interactive-page.js';

describe('generateReport', () => {
  let dir: string;
  let out: ReportOutput;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-report-'));
    out = await generateReport([talkResults(1, 'box-a'), talkResults(2, 'box-b')], dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each plot spec beside its SVG and PNG', async () => {
    const names = out.plots.map((p) => p.name);
    expect(names).toEqual([
      'percentile-get',
      'percentile-set',
      'bars-get',
      'bars-set',
      'latency-over-time-get',
      'latency-over-time-set',
      'throughput',
    ]);
    const listing = await readdir(join(dir, 'plots'));
    for (const name of names) for (const ext of ['vl.json', 'svg', 'png']) expect(listing).toContain(`${name}.${ext}`);
    const spec = JSON.parse(await readFile(join(dir, 'plots', 'percentile-set.vl.json'), 'utf8')) as {
      encoding: { x: { field: string } };
    };
    expect(spec.encoding.x.field).toBe('inverseTail');
    for (const file of out.files) expect(existsSync(file)).toBe(true);
  });

  it('gives every plot a subtitle saying what was run, where, and how durable each backend was', async () => {
    for (const plot of out.plots) {
      const spec = JSON.parse(await readFile(plot.spec, 'utf8')) as { title: { subtitle: string[] } };
      expect(spec.title.subtitle.slice(-2), plot.name).toEqual([
        'mixed · 2 processes × 1,000 ops · seeds 1, 2 · hosts box-a, box-b · 2 results files',
        'durability: os-buffered (memory); fsync-at-checkpoint (sqlite); fsync-per-write (filebased)',
      ]);
      // The text is drawn into the image, not only kept in the spec.
      expect(await readFile(plot.svg, 'utf8'), plot.name).toContain('mixed · 2 processes × 1,000 ops');
    }
  });

  it('writes .hgrm and .hlog per series × action, tables and Markdown', async () => {
    const histograms = await readdir(join(dir, 'hgrm'));
    expect(histograms.filter((n) => n.endsWith('.hgrm'))).toHaveLength(12);
    expect(histograms.filter((n) => n.endsWith('.hlog')).sort()).toEqual(
      histograms
        .filter((n) => n.endsWith('.hgrm'))
        .map((n) => n.replace(/\.hgrm$/, '.hlog'))
        .sort(),
    );
    expect(await readFile(join(dir, 'tables.txt'), 'utf8')).toBe(out.tables);
    const md = await readFile(out.markdown, 'utf8');
    expect(md).toContain('![get time vs percentile](plots/percentile-get.png)');
    expect(md).toContain('| Action | Count | Miss | Median | P90 | P99 | Max | Total |');
  });

  it('writes a self-contained page with unique ids', async () => {
    const html = await readFile(out.html, 'utf8');
    // Scripts only inline: no <script src>, no stylesheet links, no remote URLs in attributes or CSS.
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link|src="https?:|url\(https?:/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">`);
    expect(PAGE_CSP).toMatch(/^default-src 'none';/);
    expect(html.match(/<script type="application\/json" id="plot-\d+-spec">/g)).toHaveLength(out.plots.length);
    expect(html.match(/<figure class="plot"/g)).toHaveLength(out.plots.length);
    // The markup without the inlined libraries and specs, whose text holds quotes and ids of its own.
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '');
    const ids = [...markup.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const ref of markup.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
    for (const text of ['fsync-per-write', 'Test CPU', 'loadModel', 'box-b sqlite']) expect(html).toContain(text);
  });

  it("shows each backend's scenario metrics under its table in tables.txt, report.md and index.html", async () => {
    const metricsDir = await mkdtemp(join(tmpdir(), 'cachebench-metrics-'));
    try {
      const results = makeResults({
        scenario: 'crawler',
        backends: [
          { label: 'memory', actions: { crawl: { count: 200, distribution: constant(8_000), misses: 181 } } },
          { label: 'sqlite', actions: { crawl: { count: 200, distribution: constant(20_000), misses: 181 } } },
        ],
      });
      results.backends[0]!.metrics = { pagesPerSecond: 12713.4, pagesFetched: 181, cacheHitRatio: 0.095 };
      const report = await generateReport([results], metricsDir, { png: false });
      const line = 'pagesPerSecond 12,713 · pagesFetched 181 · cacheHitRatio 9.50%';
      // Under memory's table, and nothing under sqlite's, which has no metrics.
      const [memoryPart, sqlitePart] = report.tables.split('Timings for sqlite');
      expect(memoryPart).toContain(`  scenario metrics: ${line}`);
      expect(sqlitePart).not.toContain('scenario metrics');
      expect(await readFile(join(metricsDir, 'tables.txt'), 'utf8')).toBe(report.tables);
      const md = await readFile(report.markdown, 'utf8');
      expect(md.split('### Timings for sqlite')[0]).toContain(`Scenario metrics: ${line}`);
      const html = await readFile(report.html, 'utf8');
      const memoryHtml = html.split('Timings for sqlite')[0]!;
      expect(memoryHtml).toContain(
        '<caption>Scenario metrics</caption><tr><th>pagesPerSecond</th><td>12,713</td></tr>',
      );
      expect(memoryHtml).toContain('<tr><th>cacheHitRatio</th><td>9.50%</td></tr>');
      expect(html.match(/<caption>Scenario metrics<\/caption>/g)).toHaveLength(1);
    } finally {
      await rm(metricsDir, { recursive: true, force: true });
    }
  });

  it('adds a miss-rate plot when a file holds a timeout sweep', async () => {
    const sweepDir = await mkdtemp(join(tmpdir(), 'cachebench-sweep-'));
    try {
      const backends = [0.001, 0.01, 0.1].map((timeout, i) => ({
        label: `sqlite:timeout=${timeout}`,
        settings: { timeout },
        actions: { get: { count: 100, distribution: constant(1000), misses: 30 - i * 10 } },
      }));
      const sweep = await generateReport([makeResults({ backends })], sweepDir, { png: false });
      expect(sweep.plots.map((p) => p.name)).toContain('timeout-sweep-get');
      const single = await generateReport(
        [makeResults({ backends: backends.map((b) => ({ ...b, intervals: 1 })) })],
        sweepDir,
        { png: false },
      );
      // One interval per backend: no over-time plots.
      expect(single.plots.map((p) => p.name)).toEqual(['percentile-get', 'bars-get', 'timeout-sweep-get']);
      expect(sweep.plots.every((p) => p.png === undefined)).toBe(true);
    } finally {
      await rm(sweepDir, { recursive: true, force: true });
    }
  });

  it('refuses empty or foreign input with a typed error', async () => {
    await expect(generateReport([], dir)).rejects.toBeInstanceOf(ReportError);
    const foreign = { ...talkResults(), schema: 'other' } as unknown as ReturnType<typeof talkResults>;
    await expect(generateReport([foreign], dir, { labels: ['a.json'] })).rejects.toThrow(
      /a\.json.*"schema" is "other"/,
    );
  });
});
