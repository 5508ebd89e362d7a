import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../results/results.js';
import { cli } from './compare-cli.js';
import { syntheticRuns, type SyntheticRun } from './fixtures/synthetic-results.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-compare-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const backends: SyntheticRun['backends'] = {
  sqlite: { get: { medianNs: 3_000 }, set: { medianNs: 5_000 } },
  'sqlite-raw': { get: { medianNs: 2_000 }, set: { medianNs: 3_000 } },
};
const slowSet: SyntheticRun['backends'] = {
  ...backends,
  sqlite: { ...backends.sqlite, set: { medianNs: 5_000, tailSlowdown: 0.5 } },
};

function writeRuns(name: string, runs: ResultsFile[]): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  runs.forEach((run, i) => writeFileSync(join(folder, `run-${i + 1}.json`), JSON.stringify(run)));
  return folder;
}

const base = writeRuns('base', syntheticRuns(5, 1, { backends, samples: 1000 }));
const same = writeRuns('same', syntheticRuns(5, 21, { backends, samples: 1000 }));
const slower = writeRuns('slower', syntheticRuns(5, 41, { backends: slowSet, samples: 1000, machineFactor: 1.2 }));

describe('cachebench compare', () => {
  it('exits 0 on two samples of one distribution and prints the table', async () => {
    const { code, stdout } = await cli('compare', base, same, '--fail-on', 'set.p99>10%');
    expect(code).toBe(0);
    expect(stdout).toMatch(/5 base vs 5 head run\(s\)/);
    expect(stdout).toMatch(/gate: passed/);
  });

  it('exits 1 on a significant regression beyond the limit and writes Markdown and JSON', async () => {
    const markdown = join(dir, 'out.md');
    const json = join(dir, 'out.json');
    const { code } = await cli(
      'compare',
      base,
      slower,
      '--fail-on',
      'set.p99>10%',
      '--reference',
      'sqlite-raw',
      '--markdown',
      markdown,
      '--json',
      json,
    );
    expect(code).toBe(1);
    expect(readFileSync(markdown, 'utf8')).toMatch(/❌ gate: FAILED — sqlite\/set\.p99/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      reference: string;
      gate: { failures: { rule: string; backend: string }[] };
    };
    expect(report.reference).toBe('sqlite-raw');
    expect(report.gate.failures).toEqual([expect.objectContaining({ rule: 'set.p99>10%', backend: 'sqlite' })]);
  });

  it('--reference removes a machine-speed difference that would otherwise fail the median gate', async () => {
    expect((await cli('compare', base, slower, '--fail-on', 'get.median>10%')).code).toBe(1);
    expect((await cli('compare', base, slower, '--fail-on', 'get.median>10%', '--reference', 'sqlite-raw')).code).toBe(
      0,
    );
  });

  it('with 3 runs a side a --fail-on gate exits 2 naming the runs needed, never passes; --judge-within-run judges a large regression', async () => {
    const base3 = writeRuns('base3', syntheticRuns(3, 1, { backends, samples: 1000 }));
    const same3 = writeRuns('same3', syntheticRuns(3, 21, { backends, samples: 1000 }));
    const slow3 = writeRuns(
      'slow3',
      syntheticRuns(3, 41, {
        backends: { ...backends, sqlite: { ...backends.sqlite, set: { medianNs: 5_000, tailSlowdown: 3 } } },
        samples: 1000,
      }),
    );
    const rules = ['--fail-on', '*.p99>10%,*.median>1%,*.p90>1%'];
    for (const head of [same3, slow3]) {
      const result = await cli('compare', base3, head, ...rules);
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/^sqlite +set +p99 .* not judged \(need ≥ 4 runs a side\)$/m);
      expect(result.stdout).toMatch(/^gate: NOT JUDGED — 12 row\(s\) named by --fail-on could not be judged/m);
      expect(result.stderr).toMatch(
        /^cachebench compare: gate not judged: 12 row\(s\) .*3 base and 3 head run\(s\) given; run each side at least 4 times \(`cachebench run --repeat 5`\), or add --judge-within-run/,
      );
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    // Without --fail-on there is no gate to pass: the figures are shown and the exit code is 0.
    expect((await cli('compare', base3, slow3)).code).toBe(0);
    const judged = await cli('compare', base3, slow3, ...rules, '--judge-within-run');
    expect(judged.code).toBe(1);
    expect(judged.stdout).toMatch(/--judge-within-run: merged histograms/);
    expect(judged.stdout).toMatch(/gate: FAILED — sqlite\/set\.p99/);
    // Within-run intervals judge latency only: a throughput rule is still not judged.
    const throughput = await cli('compare', base3, same3, '--fail-on', 'throughput>10%', '--judge-within-run');
    expect(throughput.code).toBe(2);
    expect(throughput.stderr).toMatch(
      /sqlite\/all\.throughput, sqlite-raw\/all\.throughput \(throughput needs repeated runs\)\. 3 base and 3 head run\(s\) given; throughput is judged across runs only/,
    );
    // baseline check is the same gate.
    const file = join(dir, 'baseline-3.json');
    expect((await cli('baseline', 'save', base3, '--file', file)).code).toBe(0);
    const check = await cli('baseline', 'check', slow3, '--file', file, '--fail-on', 'set.p99>10%');
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/^cachebench baseline check: gate not judged: 2 row\(s\)/);
  });

  it.each([
    [['--fail-on', 'set.p99>ten%'], /limit "ten%" must be a non-negative percentage/],
    [['--fail-on', 'set.p100>10%'], /unknown statistic "p100"/],
    [['--fail-on', 'incr.p99>10%'], /matches nothing: no action "incr"/],
    [['--reference', 'lmdb'], /reference backend "lmdb" is not in the results/],
    [['--alpha', '2'], /--alpha 2 must be a number between 0 and 0.5/],
    [['--stats', 'p99,p100'], /--stats: unknown statistic "p100"/],
  ])('exits 2 with one line for bad options %j', async (options, message) => {
    const { code, stderr, stdout } = await cli('compare', base, same, ...options);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
  });

  it('checks --markdown and --json before comparing: one line naming the path and the fix, no table, exit 2', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    const cases: [string[], string][] = [
      [
        ['--markdown', join(dir, 'no-such-dir', 'x.md')],
        `cachebench compare: --markdown ${join(dir, 'no-such-dir', 'x.md')}: folder ${join(dir, 'no-such-dir')} does not exist; create it first or choose another path`,
      ],
      [
        ['--json', join(file, 'x.json')],
        `cachebench compare: --json ${join(file, 'x.json')}: ${file} is a file, not a folder; choose another path`,
      ],
      [
        ['--markdown', dir],
        `cachebench compare: --markdown ${dir}: is a folder; give a file name, e.g. ${join(dir, 'compare.md')}`,
      ],
    ];
    for (const [options, message] of cases) {
      const { code, stdout, stderr } = await cli('compare', base, same, '--fail-on', 'set.p99>10%', ...options);
      expect(code).toBe(2);
      expect(stderr).toBe(`${message}\n`);
      expect(stdout).toBe('');
    }
    const check = await cli(
      'baseline',
      'check',
      same,
      '--file',
      join(dir, 'none.json'),
      '--json',
      join(dir, 'no-such-dir', 'x.json'),
    );
    expect(check.stderr).toMatch(/^cachebench baseline check: --json .*no-such-dir\/x\.json: folder .* does not exist/);
  });

  it('exits 2 on a malformed results file', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"schema": "cachebench/results", "version": 1');
    const { code, stderr } = await cli('compare', broken, same);
    expect(code).toBe(2);
    expect(stderr).toMatch(/results file .*broken\.json: not JSON/);
  });

  it('exits 2 on mismatched scenarios, naming both files', async () => {
    const other = writeRuns('other', syntheticRuns(1, 1, { backends, samples: 1000, scenario: 'ycsb-a' }));
    const { code, stderr } = await cli('compare', base, other);
    expect(code).toBe(2);
    expect(stderr).toMatch(/scenarios differ: .*base\/run-1\.json ran "synthetic", .*other\/run-1\.json ran "ycsb-a"/);
  });

  it('exits 2 on a missing path or an empty folder', async () => {
    expect((await cli('compare', join(dir, 'nope'), same)).stderr).toMatch(/BASE .*nope does not exist/);
    mkdirSync(join(dir, 'empty'));
    expect((await cli('compare', base, join(dir, 'empty'))).stderr).toMatch(
      /HEAD folder .*empty holds no \.json results files/,
    );
  });

  it('exits 2 on a command-line syntax error', async () => {
    expect((await cli('compare', base)).code).toBe(2);
    expect((await cli('compare', base, same, '--bogus')).code).toBe(2);
  });
});

describe('cachebench baseline', () => {
  it('saves a compact baseline and checks runs against it', async () => {
    const file = join(dir, 'bench', 'baseline.json');
    const saved = await cli('baseline', 'save', base, '--file', file);
    expect(saved.code).toBe(0);
    expect(saved.stdout).toMatch(/saved 5 runs of scenario synthetic \(sqlite, sqlite-raw\)/);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { schema: string; runs: ResultsFile[] };
    expect(stored.schema).toBe('cachebench/baseline');
    expect(stored.runs).toHaveLength(5);

    const pass = await cli(
      'baseline',
      'check',
      same,
      '--file',
      file,
      '--fail-on',
      'set.p99>10%',
      '--reference',
      'sqlite-raw',
    );
    expect(pass.code).toBe(0);
    const fail = await cli(
      'baseline',
      'check',
      slower,
      '--file',
      file,
      '--fail-on',
      'set.p99>10%',
      '--reference',
      'sqlite-raw',
    );
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/slower — FAILS set\.p99>10%/);
  });

  it('baseline save checks --file first: missing folders are created, a path through a file is one line', async () => {
    const nested = join(dir, 'new', 'deeper', 'baseline.json');
    expect((await cli('baseline', 'save', base, '--file', nested)).code).toBe(0);
    expect(JSON.parse(readFileSync(nested, 'utf8'))).toMatchObject({ schema: 'cachebench/baseline' });
    const file = join(dir, 'also-a-file');
    writeFileSync(file, '');
    const through = await cli('baseline', 'save', base, '--file', join(file, 'sub', 'baseline.json'));
    expect(through.code).toBe(2);
    expect(through.stderr).toBe(
      `cachebench baseline save: --file ${join(file, 'sub', 'baseline.json')}: ${file} is a file, not a folder; choose another path\n`,
    );
  });

  it('refuses to save runs that are not comparable with each other', async () => {
    const mixed = writeRuns('mixed', [
      ...syntheticRuns(1, 1, { backends, samples: 500 }),
      ...syntheticRuns(1, 2, { backends, samples: 500, scenario: 'other' }),
    ]);
    const { code, stderr } = await cli('baseline', 'save', mixed, '--file', join(dir, 'mixed-baseline.json'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/scenarios differ/);
  });

  it('exits 2 on a missing or foreign baseline file', async () => {
    const missing = await cli('baseline', 'check', same, '--file', join(dir, 'none.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist; create it with `cachebench baseline save/);
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ schema: 'cachebench/results', version: 1 }));
    expect((await cli('baseline', 'check', same, '--file', foreign)).stderr).toMatch(
      /is not a cachebench\/baseline version 1 file/,
    );
  });
});
