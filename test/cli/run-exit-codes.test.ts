import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadResults } from '../../results/results-io.js';
import { runCli } from './spawn-cli.js';

// What `cachebench run` exits with and writes when backends fail, are bad, or cannot run.
const fixtures = fileURLToPath(new URL('../harness/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cachebench-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, dir, env);

const quick = ['-p', '1', '-n', '60', '-w', '0', '-q', '--no-report'];

describe('failed operations fail the run', () => {
  it('a backend with some failed operations is partial, the table says so and the run exits 1', async () => {
    const out = join(dir, 'faulty.json');
    const { code, stdout } = await cli([
      'run',
      'talk',
      '-b',
      `${join(fixtures, 'faulty.ts')}:errorEvery=4,timeoutEvery=100000`,
      ...quick,
      '-o',
      out,
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/status partial: \d+ of \d+ operations failed: injected failure/);
    const results = await loadResults(out);
    expect(results.backends[0]!.status).toBe('partial');
  });
});

describe('every backend is checked before the first one runs', () => {
  const cliFixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
  it.each([
    [['memory', 'sqlite:mmap_size=-5'], /^error: backend sqlite: option mmap_size="-5": -5 is out of range/],
    [
      ['memory', 'filebased:max_entrys=10'],
      /^error: backend filebased: unknown option "max_entrys"; did you mean "max_entries"\?/,
    ],
    [
      ['memory', 'redis:command_timeout=soon'],
      /^error: backend redis: option command_timeout="soon" must be a whole number/,
    ],
    [
      ['memory', `${join(cliFixtures, 'strict-backend.ts')}:size=big`],
      /^error: backend .*strict-backend\.ts:size=big: option size="big" must be a whole number/,
    ],
    [
      ['memory', join(cliFixtures, 'no-such-backend.js')],
      /^error: backend module .*no-such-backend\.js: cannot import it/,
    ],
  ])('%j: exit 2, one line naming the backend and option, nothing written', async (backends, pattern) => {
    const out = join(dir, `bad-${backends[1]!.length}`);
    const { code, stderr } = await cli(['run', 'talk', '-b', backends.join(' '), ...quick, '-o', out]);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(pattern);
    // The engine's internal spelling never reaches the user.
    expect(stderr).not.toMatch(/sqliteMmapSize/);
    expect(existsSync(out)).toBe(false);
  });

  it('a module backend whose validate accepts its options runs', async () => {
    const out = join(dir, 'strict.json');
    const { code } = await cli([
      'run',
      'talk',
      '-b',
      `${join(cliFixtures, 'strict-backend.ts')}:size=3`,
      ...quick,
      '-o',
      out,
    ]);
    expect(code).toBe(0);
    expect(readdirSync(dir)).toContain('strict.json');
  });
});

describe('--out is made ready before anything runs', () => {
  it.each([
    [
      'an existing file as the folder',
      (d: string) => join(d, 'afile'),
      /--out: .*afile is a file; give a folder, or a path ending in \.json/,
    ],
    [
      'a file on the way',
      (d: string) => join(d, 'afile', 'x.json'),
      /--out: cannot use .*afile\/x\.json: a folder on its way is a file/,
    ],
    // Node's recursive mkdir spins forever here; the run must fail at once instead.
    [
      'a folder that cannot be created',
      () => '/proc/nope/x.json',
      /--out: cannot create folder \/proc\/nope \(ENOENT\)/,
    ],
  ])(
    '%s: exit 2 before the benchmark, one line',
    async (_what, out, pattern) => {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'afile'), 'not a folder');
      // A backend that would take long if it ran: the failure must come first.
      const { code, stderr, stdout } = await cli([
        'run',
        'talk',
        '-b',
        'memory',
        '-p',
        '1',
        '-n',
        '5000000',
        '-q',
        '--no-report',
        '-o',
        out(dir),
      ]);
      expect(code).toBe(2);
      expect(stderr.split('\n')[0]).toMatch(pattern);
      expect(stdout).toBe('');
    },
    20_000,
  );
});

describe('a backend the user named but that cannot run here fails the run', () => {
  it('-b leveldb --procs 2: unavailable, exit 1, one line at the top says why and no empty table follows', async () => {
    const out = join(dir, 'leveldb.json');
    const { code, stdout } = await cli([
      'run',
      'talk',
      '-b',
      'memory,leveldb',
      '-p',
      '2',
      '-n',
      '20',
      '-w',
      '0',
      '-q',
      '--no-report',
      '-o',
      out,
    ]);
    expect(code).toBe(1);
    expect(stdout.split('\n')[2]).toMatch(/^not run: leveldb: .*at most 1 process/);
    expect(stdout.match(/at most 1 process/g)).toHaveLength(1);
    expect(stdout).not.toContain('Timings for leveldb');
    expect((await loadResults(out)).backends.map((b) => b.status)).toEqual(['completed', 'unavailable']);
  });

  it('the default set and "all" do not fail for an unavailable backend; a named one does', async () => {
    const { exitCodeOf } = await import('../../cli/run-execute.js');
    const { makeResults, constant } = await import('../reports/fixtures/make-results.js');
    const file = makeResults({
      seed: 1,
      backends: [{ label: 'memory', actions: { get: { count: 10, distribution: constant(100) } } }],
    });
    file.backends.push({
      ...file.backends[0]!,
      label: 'redis',
      name: 'redis',
      status: 'unavailable',
      message: 'no server',
      actions: {},
    });
    expect(exitCodeOf([file], {})).toBe(0);
    expect(exitCodeOf([file], { backends: 'all' })).toBe(0);
    expect(exitCodeOf([file], { backends: 'memory,redis' })).toBe(1);
    file.backends.pop();
    expect(exitCodeOf([file], { backends: 'memory' })).toBe(0);
  });
});
