/**
 * `--percentiles` and `--export`: which percentile columns the tables and
 * summary.json show, and the tables written as CSV, Markdown and JSON; the bad
 * values of both options are one line and exit 2 from the real CLI, for
 * `report` and for `run` (which checks them before measuring anything).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../results/histogram.js';
import { parseExportFormats } from '../../reports/export-formats.js';
import { formatTableDuration } from '../../reports/format-duration.js';
import { generateReport, renderTable } from '../../reports/index.js';
import { parsePercentiles } from '../../reports/percentile-list.js';
import { runCli } from '../cli/spawn-cli.js';
import { talkResults } from './fixtures/make-results.js';

describe('--percentiles', () => {
  it('parses a list in the order given and refuses bad entries with a message naming them', () => {
    expect(parsePercentiles('50,90,99,99.9,99.99')).toEqual([50, 90, 99, 99.9, 99.99]);
    expect(parsePercentiles(' 99.9 , 50')).toEqual([99.9, 50]);
    expect(() => parsePercentiles('50,abc')).toThrow(
      /^--percentiles: "abc" is not a number; give percentiles between 0 and 100/,
    );
    expect(() => parsePercentiles('50,100')).toThrow(
      /^--percentiles: 100 is out of range; each must be above 0 and below 100/,
    );
    expect(() => parsePercentiles('0')).toThrow(/0 is out of range/);
    expect(() => parsePercentiles('-5')).toThrow(/"-5" is not a number/);
    expect(() => parsePercentiles('99,90,99.0')).toThrow(
      /^--percentiles: 99.0 is given twice; list each percentile once/,
    );
    expect(() => parsePercentiles(',')).toThrow(/^--percentiles is empty/);
    expect(() => parsePercentiles('50,90,99')).not.toThrow();
  });

  it('sets the table columns, with values read from the histograms', () => {
    const results = talkResults(1);
    const text = renderTable(results, { percentiles: [50, 99.9, 99.99] });
    const header = text.split('\n')[3]!.trim().split(/\s+/);
    expect(header).toEqual(['Action', 'Count', 'Miss', 'Median', 'P99.9', 'P99.99', 'Max', 'Total']);
    const get = results.backends[0].actions.get;
    // Cells are nine characters wide (diskcache's %9s): cut the get row into them.
    const row = text.split('\n').find((l) => l.trim().startsWith('get'))!;
    const cells = row.match(/.{9}(?: |$)/g)!.map((c) => c.trim());
    // P99.99 is not stored in the results file: it comes from the histogram.
    const p9999 = decodeHistogram(get.histogram).getValueAtPercentile(99.99);
    expect(cells.slice(3, 6)).toEqual([
      formatTableDuration(get.percentiles.p50),
      formatTableDuration(get.percentiles.p999),
      formatTableDuration(p9999),
    ]);
    // The default stays diskcache's.
    expect(renderTable(results).split('\n')[3]!.trim().split(/\s+/)).toEqual([
      'Action',
      'Count',
      'Miss',
      'Median',
      'P90',
      'P99',
      'Max',
      'Total',
    ]);
  });
});

describe('--export and the chosen percentiles in a report', () => {
  let dir: string;
  const results = talkResults(1);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-export-'));
    await generateReport([results], dir, { png: false, percentiles: [50, 95, 99.9], exports: ['csv', 'md', 'json'] });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes tables.csv, tables.md and tables.json beside the others, listed in the manifest', async () => {
    const names = await readdir(dir);
    for (const name of ['tables.csv', 'tables.md', 'tables.json', 'tables.txt']) expect(names).toContain(name);
    const manifest = await readFile(join(dir, '.cachebench-report.json'), 'utf8');
    for (const name of ['tables.csv', 'tables.md', 'tables.json']) expect(manifest).toContain(name);
  });

  it('CSV: one row per series × action, raw ns, the chosen percentiles as columns', async () => {
    const lines = (await readFile(join(dir, 'tables.csv'), 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'series,file,backend,action,count,misses,timeouts,errors,p50_ns,p95_ns,p99.9_ns,max_ns,total_ns,ops_per_second',
    );
    expect(lines).toHaveLength(1 + 6);
    const get = results.backends[1].actions.get;
    const sqliteGet = lines.find((l) => l.startsWith('sqlite,,sqlite,get,'))!.split(',');
    const p95 = decodeHistogram(get.histogram).getValueAtPercentile(95);
    expect(sqliteGet.slice(4).map(Number)).toEqual([
      get.count,
      get.misses,
      get.timeouts,
      get.errors,
      get.percentiles.p50,
      p95,
      get.percentiles.p999,
      get.percentiles.max,
      get.totalNs,
      get.throughput,
    ]);
  });

  it('JSON and summary.json hold the same percentile figures; Markdown and the page show the columns', async () => {
    const json = JSON.parse(await readFile(join(dir, 'tables.json'), 'utf8')) as {
      unit: string;
      percentiles: number[];
      rows: { series: string; action: string; percentiles: Record<string, number> }[];
    };
    expect(json.unit).toBe('ns');
    expect(json.percentiles).toEqual([50, 95, 99.9]);
    const row = json.rows.find((r) => r.series === 'filebased' && r.action === 'set')!;
    const set = results.backends[2].actions.set;
    expect(row.percentiles).toEqual({
      p50: set.percentiles.p50,
      p95: decodeHistogram(set.histogram).getValueAtPercentile(95),
      'p99.9': set.percentiles.p999,
    });
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as {
      percentiles: { requested: number[]; figures: Record<string, unknown>[] };
    };
    expect(summary.percentiles.requested).toEqual([50, 95, 99.9]);
    expect(summary.percentiles.figures.find((f) => f.series === 'filebased' && f.action === 'set')).toMatchObject({
      count: set.count,
      ...row.percentiles,
      max: set.percentiles.max,
    });
    const md = await readFile(join(dir, 'tables.md'), 'utf8');
    expect(md).toContain('| Action | Count | Miss | Median | P95 | P99.9 | Max | Total | Ops/s |');
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('| Median | P95 | P99.9 | Max |');
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain(
      '<th>Median</th><th>P95</th><th>P99.9</th><th>Max</th>',
    );
  });

  it('refuses an unknown format naming the choices', () => {
    expect(parseExportFormats('csv,JSON,csv')).toEqual(['csv', 'json']);
    expect(() => parseExportFormats('csv,xlsx')).toThrow(
      /^--export: "xlsx" is not a format; choose from csv, md, json/,
    );
    expect(() => parseExportFormats('')).toThrow(/an empty entry is not a format/);
  });
});

describe('bad --percentiles / --export from the real CLI', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-percentile-cli-'));
    file = join(dir, 'a.json');
    await writeFile(file, JSON.stringify(talkResults(1)));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [['report', 'a.json', '--percentiles', '50,101'], /101 is out of range/],
    [['report', 'a.json', '--percentiles', '50,x'], /"x" is not a number/],
    [['report', 'a.json', '--percentiles', '99,99'], /99 is given twice/],
    [['report', 'a.json', '--export', 'xml'], /"xml" is not a format; choose from csv, md, json/],
    [['run', 'talk', '-b', 'memory', '--percentiles', '99.9,100'], /100 is out of range/],
    [['run', 'talk', '-b', 'memory', '--export', 'pdf'], /"pdf" is not a format/],
  ])(
    '%j: one line, exit 2, nothing written',
    async (args, message) => {
      const result = await runCli(args, dir);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect((await readdir(dir)).sort()).toEqual(['a.json']);
    },
    30_000,
  );
});

describe('run --percentiles --export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-percentile-run-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints and writes the chosen columns, and the exports beside the report', async () => {
    const result = await runCli(
      [
        'run',
        'talk',
        '-b',
        'memory',
        '-p',
        '1',
        '-n',
        '300',
        '-w',
        '0',
        '-q',
        '--percentiles',
        '50,99.9,99.99',
        '--export',
        'csv',
        '-o',
        'small.json',
      ],
      dir,
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const header = result.stdout.split('\n').find((l) => l.trim().startsWith('Action'))!;
    expect(header.trim().split(/\s+/)).toEqual([
      'Action',
      'Count',
      'Miss',
      'Median',
      'P99.9',
      'P99.99',
      'Max',
      'Total',
    ]);
    const csv = await readFile(join(dir, 'small-report', 'tables.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toContain(',p50_ns,p99.9_ns,p99.99_ns,max_ns,');
  }, 90_000);
});
