import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli as runCli, runFiles, type StopWhen } from './cli-process.js';
import { CLI_MAIN, type CliExit as Exit } from '../cli/spawn-cli.js';
import { forkModule } from '../../harness/fork-module.js';
import { Cache } from '../../engine/cache.js';
import type { ResultsFile } from '../../results/results.js';
import type { SweepManifest } from '../../sweep/manifest.js';
import type { SweepSummary } from '../../sweep/summary.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-sweep-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[], stop?: StopWhen): Promise<Exit> => runCli(args, dir, stop);

describe('cachebench sweep: argument errors exit 2 with one line before any run', () => {
  it.each([
    [
      ['--grid', 'jurnal_mode=wal,delete'],
      /^error: grid axis jurnal_mode: unknown setting; did you mean journal_mode\?/,
    ],
    [['--grid', 'mmap_size=0,64Mx'], /^error: grid mmap_size=64Mx: cannot read "64Mx" as a byte size/],
    [['--grid', 'shards=1,2'], /^error: grid axis shards: backend sqlite has no shards/],
    [
      ['--grid', 'journal_mode=wal', '--objective', 'get.p100'],
      /^error: --objective get\.p100: unknown statistic "p100"/,
    ],
    [['--grid', 'journal_mode=wal', '-b', 'nosuch'], /^error: unknown backend "nosuch"/],
    [[], /^error: no grid: give --grid/],
    [['--quick', '--apply', 'not-a-cache'], /^error: --apply not-a-cache: no such directory/],
    // The objective's action is checked against the workload, not discovered missing after every run.
    [
      ['ycsb-e', '--grid', 'journal_mode=wal,delete'],
      /^error: --objective get\.p99: scenario ycsb-e has no get action; its actions are insert, scan$/,
    ],
    [
      ['--grid', 'journal_mode=wal', '--objective', 'foo.p99'],
      /^error: --objective foo\.p99: scenario talk has no foo action; its actions are get, set, delete$/,
    ],
    [
      ['--param', 'mix.delete=0', '--grid', 'journal_mode=wal', '--objective', 'delete.p99'],
      /^error: --objective delete\.p99: scenario talk has no delete action; its actions are get, set$/,
    ],
    [
      ['--grid', 'param.mix.delete=0,1', '--objective', '0.5*delete.p99+0.5*get.p99'],
      /^error: --objective 0\.5\*delete\.p99\+0\.5\*get\.p99: scenario talk at mix\.delete=0 has no delete action/,
    ],
  ])('%j', async (args, pattern) => {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    const { code, stderr } = await cli(['sweep', ...args, '--out', out, '-q']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')[0]).toMatch(pattern);
    expect(stderr).toMatch(/usage: cachebench sweep/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('cachebench sweep: output', () => {
  const small = [
    'sweep',
    'talk',
    '--grid',
    'synchronous=off,full',
    '--repeat',
    '1',
    '-p',
    '1',
    '-n',
    '30',
    '-w',
    '0',
    '--confirm',
    '0',
    '--no-png',
    '-q',
  ];

  it('an --out through a file is one line and exit 2 before any run', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    const { code, stderr } = await cli([...small, '--out', join(file, 'sweep')]);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe(
      `error: --out ${join(file, 'sweep')}: cannot create the sweep folder (a part of the path is a file, not a folder); choose another --out`,
    );
    expect(stderr).not.toMatch(/ENOTDIR|\n\s+at /);
  });

  it("runs that completed without the objective's action say so, not that no run completed", async () => {
    // delete is in the mix but so rare that 30 operations never draw one; 3 runs: off, full and the added defaults.
    const out = join(dir, 'no-objective');
    const { code, stderr } = await cli([
      ...small,
      '--param',
      'mix.delete=0.000001',
      '--objective',
      'delete.p99',
      '--out',
      out,
    ]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'error: 3 run(s) completed, but none recorded delete for --objective delete.p99 (they measured get, set); re-run the same command with an --objective over those actions to re-summarise',
    );
  }, 60_000);

  it('a reader that closes stdout early (| head) does not crash it; runs skip the harness call floors', async () => {
    const out = join(dir, 'epipe');
    const exit = await new Promise<Exit>((done) => {
      const child = forkModule(CLI_MAIN, [...small, '--out', out], {
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        cwd: dir,
      });
      child.stdout!.destroy(); // like `head` exiting before the ranking is printed
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code, signal) => done({ code, signal, stdout: '', stderr }));
    });
    expect(exit.stderr).not.toMatch(/EPIPE/);
    expect(exit.code).toBe(0);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    const run = JSON.parse(readFileSync(join(out, 'runs', 'c000-r1.json'), 'utf8')) as { callFloors?: unknown };
    expect(run.callFloors).toBeUndefined();
  }, 60_000);
});

describe('cachebench sweep: resume runs again what did not complete (real processes)', () => {
  it('an errored run is run again; the completed ones are kept', async () => {
    const out = join(dir, 'retry');
    const args = [
      'sweep',
      'talk',
      '--grid',
      'synchronous=off,full',
      '--repeat',
      '1',
      '-p',
      '1',
      '-n',
      '30',
      '-w',
      '0',
      '--confirm',
      '0',
      '--no-png',
      '--out',
      out,
    ];
    expect((await cli(args)).code).toBe(0);
    // What the harness writes when a worker dies mid-run.
    const broken = join(out, 'runs', 'c000-r1.json');
    const file = JSON.parse(readFileSync(broken, 'utf8')) as ResultsFile;
    file.backends[0]!.status = 'errored';
    file.backends[0]!.message = 'worker 0 exited with code 1';
    writeFileSync(broken, JSON.stringify(file));
    const kept = runFiles(out).filter((f) => f !== 'c000-r1.json');
    const mtimes = new Map(kept.map((f) => [f, statSync(join(out, 'runs', f)).mtimeMs]));

    const resumed = await cli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `resumed ${out}: 2 of 3 runs were already done, ran 1 (1 of them again: they had errored, been interrupted or been partial)`,
    );
    expect((JSON.parse(readFileSync(broken, 'utf8')) as ResultsFile).backends[0]!.status).toBe('completed');
    for (const [f, mtime] of mtimes) expect(statSync(join(out, 'runs', f)).mtimeMs).toBe(mtime);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SweepSummary;
    expect(summary.combinations.every((c) => c.completed === 1 && c.problems.length === 0)).toBe(true);
  }, 90_000);
});

describe('cachebench sweep: interrupted, resumed, summarised and applied (real processes)', () => {
  const out = join(dir, 'resume');
  const args = [
    'sweep',
    'talk',
    '--grid',
    'synchronous=off,normal,full',
    '--repeat',
    '2',
    '-p',
    '1',
    '-n',
    '150',
    '-w',
    '10',
    '--out',
    out,
    '--no-png',
    '--confirm',
    '2',
  ];

  it('keeps the runs that finished before the kill and runs only the missing ones', async () => {
    const killed = await cli(args, { when: () => runFiles(out).length >= 2, how: 'kill' });
    expect(killed.signal).toBe('SIGKILL');
    const before = runFiles(out);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(6);
    const mtimes = new Map(before.map((f) => [f, statSync(join(out, 'runs', f)).mtimeMs]));
    expect(existsSync(join(out, 'summary.json'))).toBe(false);

    const target = join(dir, 'app-cache');
    new Cache(target).close();
    const resumed = await cli([...args, '--apply', target]);
    const refused = /--apply refused/.test(resumed.stderr);
    expect(resumed.code, resumed.stderr).toBe(refused ? 2 : 0);
    expect(resumed.stderr).toContain(
      `resumed ${out}: ${before.length} of 6 runs were already done, ran ${6 - before.length}`,
    );
    // The runs done before the kill were not repeated.
    for (const [file, mtime] of mtimes) expect(statSync(join(out, 'runs', file)).mtimeMs).toBe(mtime);
    expect(
      runFiles(out)
        .filter((f) => !f.startsWith('confirm-'))
        .sort(),
    ).toEqual(['c000-r1', 'c000-r2', 'c001-r1', 'c001-r2', 'c002-r1', 'c002-r2'].map((id) => `${id}.json`));

    const manifest = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as SweepManifest;
    expect(manifest.runs.every((r) => r.status === 'completed' && r.finishedAt !== undefined)).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SweepSummary;
    expect(summary.combinations).toHaveLength(3);
    expect(summary.combinations.every((c) => c.completed === 2 && c.objective.values.length === 2)).toBe(true);
    expect(summary.combinations.filter((c) => c.isDefault).map((c) => c.label)).toEqual(['synchronous=normal']);
    // The grid's best, unless it is the defaults, is judged on a confirmation round of 2 + 2 fresh runs.
    const r = summary.recommended;
    const confirmFiles = runFiles(out)
      .filter((f) => f.startsWith('confirm-'))
      .sort();
    if (r.best.index === r.reference!.index) expect(confirmFiles).toEqual([]);
    else {
      const ids = [r.best.index, r.reference!.index]
        .sort()
        .flatMap((c) => [1, 2].map((n) => `confirm-c${String(c).padStart(3, '0')}-r${n}.json`));
      expect(confirmFiles).toEqual(ids);
      expect([r.basis, r.runs]).toEqual(['confirmation', [2, 2]]);
    }
    expect(existsSync(join(out, 'report', 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'report', 'report.md'))).toBe(true);
    expect(resumed.stdout).toMatch(/Ranking by get\.p99/);
    expect(resumed.stdout).toMatch(/Recommendation\n {2}use synchronous=/);

    // --apply wrote whatever was recommended, as a reopened cache reports — unless it lowers durability (synchronous=off).
    const recommended = summary.recommended.recommended.label.replace('synchronous=', '');
    const reopened = new Cache(target);
    if (recommended === 'off') {
      expect(summary.recommended.durability).toMatch(/lowers durability/);
      expect(resumed.stderr).toMatch(/^error: --apply refused: synchronous=off lowers durability/m);
      expect(reopened.settings.sqliteSynchronous).toBe('normal');
    } else {
      expect(resumed.stdout).toContain(`applied to ${target}: sqlite_synchronous=${recommended}`);
      expect(reopened.settings.sqliteSynchronous).toBe(recommended);
    }
    reopened.close();
  }, 120_000);

  it('a finished sweep re-run runs nothing; a different grid in the same folder is refused', async () => {
    const again = await cli(args);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('6 of 6 runs were already done, ran 0');
    const other = await cli([
      'sweep',
      'talk',
      '--grid',
      'synchronous=off,full',
      '--repeat',
      '2',
      '-p',
      '1',
      '-n',
      '150',
      '-w',
      '10',
      '--out',
      out,
      '-q',
    ]);
    expect(other.code).toBe(2);
    expect(other.stderr.split('\n')[0]).toMatch(/holds a different sweep .* choose another --out/);
  }, 60_000);
});
