import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { moduleCommand } from '../../harness/fork-module.js';
import { CLI_MAIN } from './spawn-cli.js';

// `--help` must stay quick: the command definitions load no backend client, database binding or renderer;
// those load inside the action that uses them. The packages a process loads are recorded by a loader hook.
const RECORDER = fileURLToPath(new URL('./fixtures/record-imports.mjs', import.meta.url));
const HEAVY = [
  'vega',
  'vega-lite',
  '@resvg/resvg-js',
  'lmdb',
  'ioredis',
  'classic-level',
  'rocksdb-native',
  'better-sqlite3',
  'memjs',
  'hdr-histogram-js',
  'cli-progress',
];
const dir = mkdtempSync(join(tmpdir(), 'cachebench-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let runs = 0;

/** The npm packages `cachebench ARGS` loads, and its exit code. */
function packagesLoadedBy(args: string[]): Promise<{ code: number | null; packages: Set<string> }> {
  const log = join(dir, `imports-${++runs}.txt`);
  return new Promise((done, fail) => {
    // node [--import tsx] --import RECORDER cli/main.ts ARGS
    const [node, ...rest] = moduleCommand(CLI_MAIN);
    const child = execFile(
      node!,
      ['--import', RECORDER, ...rest, ...args],
      { cwd: dir, env: { ...process.env, CACHEBENCH_IMPORT_LOG: log } },
      (error, _stdout, stderr) => {
        try {
          if (error && typeof error.code !== 'number') throw error;
          const packages = new Set<string>();
          for (const url of readFileSync(log, 'utf8').split('\n')) {
            const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
            if (match) packages.add(match[1]!);
          }
          done({ code: child.exitCode, packages });
        } catch (failure) {
          fail(new Error(`cachebench ${args.join(' ')}: ${(failure as Error).message}\n${stderr}`));
        }
      },
    );
  });
}

describe('help and version load no heavy package', () => {
  it.each([
    [['--help']],
    [['--version']],
    [['run', '--help']],
    [['sweep', '--help']],
    [['compare', '--help']],
    [['report', '--help']],
    [['merge', '--help']],
    [['baseline', 'save', '--help']],
    [['baseline', 'check', '--help']],
    [['calibrate', '--help']],
    [['backends', '--help']],
    [['scenarios', '--help']],
  ])('cachebench %j', async (args) => {
    const { code, packages } = await packagesLoadedBy(args);
    expect(code).toBe(0);
    expect(packages.has('commander')).toBe(true);
    expect(HEAVY.filter((name) => packages.has(name))).toEqual([]);
  });

  it('the recorder sees them when a command uses them: `cachebench backends` loads the clients', async () => {
    const { code, packages } = await packagesLoadedBy(['backends']);
    expect(code).toBe(0);
    expect(['ioredis', 'lmdb', 'better-sqlite3'].filter((name) => packages.has(name))).toEqual([
      'ioredis',
      'lmdb',
      'better-sqlite3',
    ]);
  });
});
