import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { register as registerRun, resolveRun } from '../../cli/commands/run.js';
import { loadResults } from '../../results/results-io.js';
import { runCli } from './spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[]) => runCli(args, dir);

describe('cachebench run (real process)', () => {
  it.each([
    [['run', '--procs', 'x'], /argument 'x' is invalid/],
    [['run', '--bogus'], /unknown option '--bogus'/],
    [['run', 'nosuch'], /unknown scenario "nosuch"/],
    [['run', '-b', 'nosuch'], /unknown backend "nosuch"/],
    [['run', '--ops', '5', '--duration', '2'], /--ops and --duration are exclusive/],
    [['run', '--param', 'nope=1'], /--param nope=1: unknown parameter/],
    [['nosuchcommand', 'extra'], /error: too many arguments|unknown command/],
  ])('%j exits 2 with a one-line error and the usage', async (args, pattern) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(pattern);
    expect(stderr).toMatch(/usage: cachebench/);
  });

  it('--help documents every option of the command definition, and docs/cli.md does too', async () => {
    const { code, stdout } = await cli(['run', '--help']);
    expect(code).toBe(0);
    // The list comes from the command itself, so an option added later is checked too.
    const program = new Command('cachebench');
    registerRun(program);
    const options = program.commands.find((c) => c.name() === 'run')!.options.map((o) => o.long!);
    expect(options.length).toBeGreaterThan(15);
    const docs = readFileSync(fileURLToPath(new URL('../../docs/cli.md', import.meta.url)), 'utf8');
    for (const option of options) {
      expect(stdout).toContain(option);
      expect(docs, `docs/cli.md lacks ${option}`).toMatch(new RegExp(`${option}[ \`]`));
    }
  });

  it('runs, writes a valid results file and the report beside it, prints the table and where both are', async () => {
    const out = join(dir, 'results');
    const { code, stdout } = await cli([
      'run',
      'talk',
      '-b',
      'memory',
      '-p',
      '2',
      '-n',
      '300',
      '-w',
      '10',
      '--seed',
      '5',
      '-o',
      out,
      '-q',
    ]);
    expect(code).toBe(0);
    const files = readdirSync(out).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-talk\.json$/);
    const resultsPath = join(out, files[0]!);
    const reportHtml = join(out, files[0]!.replace(/\.json$/, '-report'), 'index.html');
    expect(existsSync(reportHtml)).toBe(true);
    // The run ends by saying where the results and the report are.
    const tail = stdout.trim().split('\n').slice(-2);
    expect(tail).toEqual([`results: ${resultsPath}`, `report:  ${reportHtml}`]);
    // One table implementation: the report's, printed once per backend.
    expect(stdout.match(/Action\s+Count\s+Miss\s+Median\s+P90\s+P99\s+Max/g)).toHaveLength(1);
    expect(stdout).toContain('Timings for memory');
    const results = await loadResults(resultsPath);
    expect(results.run).toMatchObject({ procs: 2, ops: 300, warmupOps: 10, seed: 5, loadModel: 'closed' });
    const total = Object.values(results.backends[0]!.actions).reduce((s, a) => s + a.count, 0);
    expect(total).toBe(600);
  });

  it("prints the scenario's metrics under each backend's table (crawler pages/s and hit ratio)", async () => {
    const out = join(dir, 'crawler.json');
    const { code, stdout } = await cli([
      'run',
      'crawler',
      '-b',
      'memory',
      '-p',
      '1',
      '-n',
      '200',
      '-w',
      '0',
      '-o',
      out,
      '-q',
      '--no-report',
    ]);
    expect(code).toBe(0);
    const metrics = (await loadResults(out)).backends[0]!.metrics!;
    expect(metrics.pagesFetched).toBeGreaterThan(0);
    // The line follows the table's closing rule and the backend's description, with the figures the results file holds.
    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('  scenario metrics: '));
    expect(lines[at - 2]).toMatch(/^=+[ =]*$/);
    expect(lines[at - 1]).toMatch(/^ {2}memory, sync, durability: /);
    expect(lines[at]).toMatch(
      /^ {2}scenario metrics: pagesPerSecond [\d,.]+ · pagesFetched [\d,]+ · cacheHitRatio [\d.]+% · involuntaryContextSwitches [\d,]+$/,
    );
    expect(lines[at]).toContain(`pagesFetched ${metrics.pagesFetched}`);
  });

  it('--no-report prints the table and writes no report folder', async () => {
    const out = join(dir, 'no-report.json');
    const { code, stdout } = await cli([
      'run',
      'talk',
      '-b',
      'memory',
      '-p',
      '1',
      '-n',
      '100',
      '-w',
      '0',
      '-o',
      out,
      '-q',
      '--no-report',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('Timings for memory');
    expect(stdout.trim().split('\n').at(-1)).toBe(`results: ${out}`);
    expect(existsSync(join(dir, 'no-report-report'))).toBe(false);
  });
});

describe('cachebench run --repeat and measurement options (real process)', () => {
  it('--repeat 2 writes run-01.json and run-02.json (seeds S, S+1) into one folder compare can read, and one report', async () => {
    const out = join(dir, 'repeat.json');
    const { code, stdout } = await cli([
      'run',
      'talk',
      '-b',
      'memory',
      '-p',
      '1',
      '-n',
      '200',
      '-w',
      '0',
      '--seed',
      '40',
      '--repeat',
      '2',
      '-o',
      out,
      '-q',
      '--no-report',
    ]);
    expect(code).toBe(0);
    const folder = join(dir, 'repeat');
    expect(readdirSync(folder).sort()).toEqual(['run-01.json', 'run-02.json']);
    const runs = [await loadResults(join(folder, 'run-01.json')), await loadResults(join(folder, 'run-02.json'))];
    expect(runs.map((r) => r.run.seed)).toEqual([40, 41]);
    const { loadSide } = await import('../../compare/load-side.js');
    expect((await loadSide([folder], loadResults, 'BASE')).files).toHaveLength(2);
    expect(stdout).toContain(`results: ${folder} (2 runs: run-01.json, run-02.json)`);
    // Measurement notes follow the tables: the call-style floor is measured in every run.
    expect(stdout).toMatch(/Measurement notes[\s\S]*Harness floor measured in this run/);
  });

  it('rejects bad measurement options with exit 2', async () => {
    for (const [args, pattern] of [
      [['run', '--pin', 'sideways'], /expected same, separate, both, or client=CPUS/],
      [['run', '--pin', 'client=0,server=x'], /"x" is not a CPU/],
      [['run', '--noise-threshold', '-1'], /expected a number ≥ 0/],
      [['run', '--repeat', '0'], /expected a positive integer/],
    ] as const) {
      const { code, stderr } = await cli([...args]);
      expect(code).toBe(2);
      expect(stderr).toMatch(pattern);
    }
  });
});

describe('resolveRun', () => {
  it('--repeat puts N run files in a folder and the report inside it; measurement guards pass through', async () => {
    const resolved = await resolveRun(
      'talk',
      { out: 'results', backends: 'memory', repeat: 3, pin: 'both', noiseThreshold: 0.5, retryNoisy: 2, waitIdle: 10 },
      new Date('2025-01-02T03:04:05.678Z'),
    );
    expect(resolved.outPath).toMatch(/results\/2025-01-02T03-04-05Z-talk$/);
    expect(resolved.runPaths.map((p) => p.slice(resolved.outPath.length + 1))).toEqual([
      'run-01.json',
      'run-02.json',
      'run-03.json',
    ]);
    expect(resolved.reportDir).toBe(join(resolved.outPath, 'report'));
    expect(resolved.guards).toEqual({ noiseThresholdCores: 0.5, waitIdleSeconds: 10, retryNoisy: 2, pin: 'both' });
  });

  it('uses quick sizes by default, the published ones with --full, and explicit flags over both', async () => {
    const quick = await resolveRun('talk', { out: 'results', backends: 'memory' });
    expect(quick.run).toMatchObject({ procs: 4, ops: 5_000, warmupOps: 1_001, rate: null, loadModel: 'closed' });
    const full = await resolveRun('talk', { out: 'results', backends: 'memory', full: true });
    expect(full.run).toMatchObject({ procs: 8, ops: 98_999, warmupOps: 1_001 });
    const explicit = await resolveRun('talk', {
      out: 'x.json',
      backends: 'memory',
      full: true,
      procs: 3,
      duration: 2,
      rate: 100,
      seed: 9,
    });
    expect(explicit.run).toMatchObject({
      procs: 3,
      ops: null,
      durationSeconds: 2,
      rate: 100,
      loadModel: 'open',
      seed: 9,
    });
    expect(explicit.outPath.endsWith('x.json')).toBe(true);
  });

  it('runs the default backends documented in docs/cli.md when none are named, no alternative database among them', async () => {
    const { backends } = await resolveRun('talk', { out: 'results' });
    const docs = readFileSync(fileURLToPath(new URL('../../docs/cli.md', import.meta.url)), 'utf8');
    const documented = /on every default backend\s*\(`([^`]+)`\)/.exec(docs)?.[1]?.split(/,\s*/);
    expect(documented, 'docs/cli.md names the default backends').toBeDefined();
    expect(backends.map((b) => b.label)).toEqual(documented);
    for (const alternative of ['lmdb', 'leveldb', 'memcached'])
      expect(backends.map((b) => b.label)).not.toContain(alternative);
  });
});
