/**
 * The summary end to end: a real small `cachebench run` (forked CLI, real
 * backends) prints the ranking before the tables and the notes, and the report
 * folder's summary.json, index.html and report.md agree with the results file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import { loadResults } from '../../results/results-io.js';
import type { ResultsFile } from '../../results/results.js';
import type { Summary } from '../../reports/index.js';

const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cachebench-summary-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = forkModule(main, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: dir });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the summary of a real run', () => {
  let run: { code: number | null; stdout: string; stderr: string };
  let results: ResultsFile;
  let summary: Summary;
  const out = join(dir, 'small.json');
  const reportDir = join(dir, 'small-report');

  beforeAll(async () => {
    run = await cli([
      'run',
      'talk',
      '-b',
      'memory,sqlite-raw,sqlite',
      '-p',
      '1',
      '-n',
      '400',
      '-w',
      '0',
      '-q',
      '-o',
      out,
    ]);
    results = await loadResults(out);
    summary = JSON.parse(await readFile(join(reportDir, 'summary.json'), 'utf8')) as Summary;
  }, 90_000);

  it('prints the ranking first, then the tables, then the measurement notes', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^talk: 1 process × 400 ops/);
    const at = (text: string): number => run.stdout.indexOf(text);
    expect(at('Summary (ranked by median')).toBeGreaterThan(0);
    expect(at('get median: ')).toBeGreaterThan(at('Summary ('));
    expect(at('throughput, answered ops/s')).toBeGreaterThan(at('get median: '));
    expect(at('Timings for memory')).toBeGreaterThan(at('throughput, answered ops/s'));
    expect(at('results: ')).toBeGreaterThan(at('Timings for sqlite'));
  });

  it('ranks the backends in the order of their medians in the results file, against sqlite-raw', () => {
    expect(summary.reference).toBe('sqlite-raw');
    expect(summary.runs).toBe(1);
    for (const action of summary.actions) {
      const expected = results.backends
        .filter((b) => b.actions[action.action])
        .sort((a, b) => a.actions[action.action]!.percentiles.p50 - b.actions[action.action]!.percentiles.p50)
        .map((b) => b.actions[action.action]!.percentiles.p50);
      expect(action.byMedian.map((e) => e.median.value)).toEqual(expected);
      // sqlite-raw is the reference: ×best compares with the fastest of the others.
      const best = action.byMedian.find((e) => e.label !== 'sqlite-raw')!.median.value;
      for (const e of action.byMedian) expect(e.medianVsBest.value).toBeCloseTo(e.median.value / best, 9);
      for (const e of action.byMedian)
        expect(e.throughput.value).toBe(
          results.backends.find((b) => b.label === e.label)!.actions[action.action]!.throughput,
        );
    }
    // 400 talk operations hold far fewer than 1,000 sets: their p99 is marked thin.
    const set = summary.actions.find((a) => a.action === 'set')!;
    expect(set.byMedian.every((e) => e.p99Thin)).toBe(true);
    expect(run.stdout).toMatch(/\* p99 from \d+ sets \(every backend\): fewer than 10 operations beyond it/);
  });

  it('puts the summary at the top of index.html and report.md', async () => {
    const html = await readFile(join(reportDir, 'index.html'), 'utf8');
    expect(html.indexOf('<section id="summary">')).toBeGreaterThan(html.indexOf('<h1>'));
    expect(html.indexOf('<section id="summary">')).toBeLessThan(html.indexOf('<h2>Timings</h2>'));
    expect(html).toContain('get median: ');
    const md = await readFile(join(reportDir, 'report.md'), 'utf8');
    expect(md.indexOf('## Summary')).toBeGreaterThan(0);
    expect(md.indexOf('## Summary')).toBeLessThan(md.indexOf('### Timings for'));
    const text = await readFile(join(reportDir, 'summary.txt'), 'utf8');
    expect(run.stdout).toContain(text);
  });
});
