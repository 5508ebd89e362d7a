/**
 * `--out` places Node's recursive mkdir cannot handle: under /proc it loops
 * forever at full CPU (a level says ENOENT while its parent says EEXIST). The
 * sweep's writers and `compare --json` must answer with one line and exit 2.
 * Each case is a real process killed after a bound, so a hang fails the test
 * instead of spinning on.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import { CLI_MAIN } from '../cli/spawn-cli.js';
import { constant, makeResults } from './fixtures/make-results.js';

const WRITER = fileURLToPath(new URL('./fixtures/sweep-writer.ts', import.meta.url));
/** Far above the second these take; a spinning mkdir never ends on its own. */
const BOUND_MS = 30_000;
const dir = mkdtempSync(join(tmpdir(), 'cachebench-guards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Bounded {
  code: number | null;
  stderr: string;
  timedOut: boolean;
}

function bounded(module: string, args: string[]): Promise<Bounded> {
  return new Promise((resolve) => {
    const child = forkModule(module, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], cwd: dir });
    let stderr = '';
    let timedOut = false;
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, BOUND_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
  });
}

describe('no spinning mkdir under /proc', () => {
  it(
    'cachebench sweep --out /proc/nope exits 2 at once, its first line naming the folder',
    async () => {
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
        '-q',
        '--out',
        '/proc/nope',
      ];
      const result = await bounded(CLI_MAIN, args);
      expect(result.timedOut).toBe(false);
      expect(result.code).toBe(2);
      // The sweep's usage errors are followed by its usage hint; the problem is the one first line.
      expect(result.stderr.split('\n')[0]).toBe(
        'error: --out /proc/nope: cannot create the sweep folder (/proc/nope: ENOENT); choose another --out',
      );
    },
    BOUND_MS + 10_000,
  );

  it.each([
    ['manifest', '/proc/nope'],
    ['outputs', '/proc/nope/deeper'],
  ])(
    'the sweep %s writer refuses %s with one line',
    async (writer, folder) => {
      const result = await bounded(WRITER, [writer, folder]);
      expect(result.timedOut).toBe(false);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('cannot create folder /proc/nope (ENOENT)\n');
    },
    BOUND_MS + 10_000,
  );

  it(
    'cachebench compare --json /proc/nope/x.json exits 2 with one line',
    async () => {
      const file = join(dir, 'a.json');
      writeFileSync(
        file,
        JSON.stringify(
          makeResults({
            backends: [{ label: 'sqlite', actions: { get: { count: 100, distribution: constant(1_000) } } }],
          }),
        ),
      );
      for (const json of ['/proc/nope/x.json', '/proc/nope/deeper/x.json']) {
        const result = await bounded(CLI_MAIN, ['compare', file, file, '--json', json]);
        expect(result.timedOut).toBe(false);
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(
          new RegExp(
            `^cachebench compare: --json ${json.replace(/\//g, '\\/')}: folder /proc/nope(/deeper)? does not exist; create it first or choose another path\\n$`,
          ),
        );
      }
    },
    2 * BOUND_MS + 10_000,
  );
});
