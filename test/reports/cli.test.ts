import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerMerge } from '../../cli/commands/merge.js';
import { labelsFromPaths, register as registerReport, type ReportIo } from '../../cli/commands/report.js';
import type { ResultsFile } from '../../results/results.js';
import { constant, makeResults, talkResults } from './fixtures/make-results.js';

interface Captured extends ReportIo {
  out: string;
  err: string;
  code: number | undefined;
}

function capture(): Captured {
  const io: Captured = {
    out: '',
    err: '',
    code: undefined,
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
    setExitCode: (c) => void (io.code = c),
  };
  return io;
}

async function cli(args: string[]): Promise<Captured> {
  const io = capture();
  const program = new Command('cachebench').exitOverride();
  registerReport(program, io);
  registerMerge(program, io);
  await program.parseAsync(args, { from: 'user' });
  return io;
}

describe('cachebench report and merge', () => {
  let dir: string;
  const write = async (name: string, results: ResultsFile): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(results));
    return path;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cachebench-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an --out that cannot be created fails at once with one line and exit 2', async () => {
    const a = await write('out-check.json', talkResults(1));
    const io = await cli(['report', a, '--out', '/proc/nope/report', '--no-png']);
    expect(io.code).toBe(2);
    expect(io.err).toBe('cachebench report: cannot create folder /proc/nope (ENOENT)\n');
  });

  it('reports several files as overlaid series labelled by file name', async () => {
    const a = await write('box-a.json', talkResults(1));
    const b = await write('box-b.json', talkResults(2));
    const out = join(dir, 'report');
    const io = await cli(['report', a, b, '--out', out, '--no-png']);
    expect(io.err).toBe('');
    expect(io.code).toBeUndefined();
    expect(io.out).toContain('Timings for box-b filebased');
    expect(io.out).toContain(join(out, 'index.html'));
    const spec = JSON.parse(await readFile(join(out, 'plots', 'percentile-get.vl.json'), 'utf8')) as {
      encoding: { color: { sort: string[] } };
    };
    expect(spec.encoding.color.sort).toEqual([
      'box-a memory',
      'box-a sqlite',
      'box-a filebased',
      'box-b memory',
      'box-b sqlite',
      'box-b filebased',
    ]);
  });

  it('prints the summary before the tables, compared against --reference', async () => {
    const a = await write('ref.json', talkResults(1));
    const io = await cli(['report', a, '--out', join(dir, 'ref-report'), '--no-png', '--reference', 'sqlite']);
    expect(io.err).toBe('');
    expect(io.out.indexOf('Summary (')).toBe(0);
    expect(io.out).toContain("×sqlite = times sqlite's, the reference");
    expect(io.out).toMatch(
      /get median: memory fastest, [\d.]+× faster than filebased; against sqlite \(reference\): memory [\d.]+× faster, filebased [\d.]+× slower/,
    );
    expect(io.out.indexOf('Timings for memory')).toBeGreaterThan(io.out.indexOf('throughput, answered ops/s'));
    const bad = await cli(['report', a, '--out', join(dir, 'ref-bad'), '--no-png', '--reference', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'cachebench report: --reference nope names no backend in these results; choose one of memory, sqlite, filebased\n',
    );
  });

  it('fails with one line and exit code 2 on a missing or foreign file', async () => {
    const missing = await cli(['report', join(dir, 'nope.json'), '--out', join(dir, 'r2')]);
    expect(missing.code).toBe(2);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toMatch(/^cachebench report: .*nope\.json.*ENOENT/);
    const foreign = join(dir, 'foreign.json');
    await writeFile(foreign, '{"schema":"x"}');
    const bad = await cli(['report', foreign]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('not a cachebench results file');
  });

  it('merges runs by adding histograms and refuses mismatched ones', async () => {
    const run = (seed: number, count: number): ResultsFile =>
      makeResults({
        seed,
        backends: [{ label: 'sqlite', actions: { get: { count, distribution: constant(2_000) } } }],
      });
    const a = await write('run1.json', run(1, 300));
    const b = await write('run2.json', run(2, 700));
    const merged = join(dir, 'merged.json');
    const io = await cli(['merge', a, b, '-o', merged]);
    expect(io.code).toBeUndefined();
    expect(io.out).toContain('merged 2 runs (1,000 operations)');
    const result = JSON.parse(await readFile(merged, 'utf8')) as ResultsFile;
    expect(result.backends[0].actions.get.count).toBe(1_000);

    const other = await write(
      'other.json',
      makeResults({ scenario: 'django', backends: [{ label: 'sqlite', actions: {} }] }),
    );
    const refused = await cli(['merge', a, other, '-o', join(dir, 'never.json')]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^cachebench merge: cannot merge: file 2 has scenario\.name = "django"/);
  });

  it('labels same-named files by their folder', () => {
    expect(labelsFromPaths(['x/a.json', 'y/b.json'])).toEqual(['a', 'b']);
    expect(labelsFromPaths(['x/results.json', 'y/results.json'])).toEqual(['x/results', 'y/results']);
  });
});
