import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistogramError } from '../../results/histogram.js';
import { generateReport } from '../../reports/index.js';
import { MANIFEST_NAME } from '../../reports/report-manifest.js';
import { logUniform, makeResults, talkResults } from './fixtures/make-results.js';

/** A run too short for over-time plots (two intervals, 1.43 s), with a delete action the talk fixture lacks. */
function shortRun() {
  const file = makeResults({
    backends: [
      { label: 'sqlite', intervals: 2, actions: { get: { count: 2_000, distribution: logUniform(1_000, 9_000) } } },
    ],
  });
  file.backends[0]!.intervals[1]!.seconds = 0.43;
  return file;
}

describe('report -o into a folder that holds an earlier report', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-manifest-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('removes the files the last report wrote and this one did not, and nothing else', async () => {
    const out = join(dir, 'report');
    const first = await generateReport([talkResults(1)], out, { png: false, exports: ['csv', 'json'] });
    expect(existsSync(join(out, 'tables.csv'))).toBe(true);
    expect(first.plots.map((p) => p.name)).toContain('latency-over-time-set');
    expect(first.files).toContain(join(out, MANIFEST_NAME));
    // The user's own files, beside and among ours.
    await writeFile(join(out, 'my-notes.md'), 'mine');
    await writeFile(join(out, 'plots', 'my-plot.svg'), '<svg/>');

    const second = await generateReport([shortRun()], out, { png: false });
    const plots = await readdir(join(out, 'plots'));
    // No stale plot of the first report: set and the over-time plots are gone.
    expect(plots.filter((p) => p !== 'my-plot.svg').sort()).toEqual(
      second.plots.flatMap((p) => [`${p.name}.svg`, `${p.name}.vl.json`]).sort(),
    );
    expect(plots).toContain('my-plot.svg');
    expect(await readFile(join(out, 'my-notes.md'), 'utf8')).toBe('mine');
    // The hgrm files of backends no longer there are gone too.
    expect((await readdir(join(out, 'hgrm'))).sort()).toEqual(['sqlite-get.hgrm', 'sqlite-get.hlog']);
    // Exports the second report was not asked for go too.
    expect(existsSync(join(out, 'tables.csv'))).toBe(false);
    expect(existsSync(join(out, 'tables.json'))).toBe(false);
    const manifest = JSON.parse(await readFile(join(out, MANIFEST_NAME), 'utf8')) as { files: string[] };
    expect(manifest.files).toContain('plots/percentile-get.svg');
    expect(manifest.files).not.toContain('plots/percentile-set.svg');
  });

  it('ignores a manifest entry that points outside the folder', async () => {
    const out = join(dir, 'guarded');
    await generateReport([shortRun()], out, { png: false });
    const outside = join(dir, 'outside.txt');
    await writeFile(outside, 'not ours');
    const manifestPath = join(out, MANIFEST_NAME);
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { files: string[] };
    manifest.files.push('../outside.txt', outside);
    await writeFile(manifestPath, JSON.stringify(manifest));
    await generateReport([shortRun()], out, { png: false });
    expect(await readFile(outside, 'utf8')).toBe('not ours');
  });

  it('a failed report leaves no files and no empty folders behind', async () => {
    const file = talkResults(1);
    // Passes the file checks (a histogram's start, cut short), fails when the plots decode it.
    file.backends[1]!.actions.set!.histogram = file.backends[1]!.actions.set!.histogram.slice(0, 24);
    const parent = join(dir, 'new');
    await expect(generateReport([file], join(parent, 'deeper'), { png: false })).rejects.toThrow(HistogramError);
    expect(existsSync(parent)).toBe(false);

    // Into an existing folder: the folder stays, the sub-folders this attempt made do not.
    const existing = join(dir, 'existing');
    await mkdir(existing);
    await writeFile(join(existing, 'keep.txt'), 'mine');
    await expect(generateReport([file], existing, { png: false })).rejects.toThrow(HistogramError);
    expect(await readdir(existing)).toEqual(['keep.txt']);
  });
});
