import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli, type CliExit } from './spawn-cli.js';

// Node's recursive mkdir loops forever at full CPU under /proc (ENOENT, its parent EEXIST): every command that
// writes where the user says must fail in one line instead. A hang is killed after 20 s and fails the test.
const dir = mkdtempSync(join(tmpdir(), 'cachebench-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<CliExit> {
  const running = spawnCli(args, { cwd: dir });
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 20_000);
  try {
    return await running.exit;
  } finally {
    clearTimeout(timer);
  }
}

const base = join(dir, 'base.json');
const head = join(dir, 'head.json');
beforeAll(async () => {
  for (const [file, seed] of [
    [base, '1'],
    [head, '2'],
  ] as const) {
    const { code } = await cli([
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
      '-q',
      '--no-report',
      '-s',
      seed,
      '-o',
      file,
    ]);
    expect(code).toBe(0);
  }
});

describe('an output folder that cannot be made is one line and exit 2', () => {
  it.each([
    [
      'sweep --out',
      ['sweep', '--quick', '-q', '--out', '/proc/nope'],
      /^error: --out \/proc\/nope: cannot create the sweep folder \(\/proc\/nope: ENOENT\); choose another --out$/,
    ],
    [
      'sweep -o deeper',
      ['sweep', '--quick', '-q', '-o', '/proc/nope/x'],
      /^error: --out \/proc\/nope\/x: cannot create the sweep folder/,
    ],
    [
      'run --out',
      ['run', 'talk', '-b', 'memory', '-q', '-o', '/proc/nope/x.json'],
      /^error: --out: cannot create folder \/proc\/nope \(ENOENT\)$/,
    ],
    [
      'compare --json',
      () => ['compare', base, head, '--json', '/proc/nope/x.json'],
      /^cachebench compare: --json \/proc\/nope\/x\.json: folder \/proc\/nope does not exist/,
    ],
    [
      'baseline save --file',
      () => ['baseline', 'save', base, '--file', '/proc/nope/baseline.json'],
      /^cachebench baseline save: --file \/proc\/nope\/baseline\.json: cannot create folder \/proc\/nope \(ENOENT\)$/,
    ],
    [
      'calibrate --runs-dir',
      [
        'calibrate',
        '--run',
        'talk -b memory -p 1 -n 100 -w 0',
        '--fail-on',
        'memory/set.median>50%',
        '--runs-dir',
        '/proc/nope/runs',
      ],
      /^cachebench calibrate: --runs-dir \/proc\/nope\/runs: cannot create folder \/proc\/nope \(ENOENT\)$/,
    ],
  ])('%s', async (_name, args, pattern) => {
    const { code, signal, stdout, stderr } = await cli(typeof args === 'function' ? args() : args);
    expect(signal).toBeNull();
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(pattern);
  });
});

describe('a mistyped command is one line and exit 2', () => {
  it('cachebench reprot a.json', async () => {
    const { code, stderr } = await cli(['reprot', 'a.json']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "error: unknown command 'reprot'; did you mean 'report'? (run \"cachebench --help\" for the commands)\n",
    );
  });
});
