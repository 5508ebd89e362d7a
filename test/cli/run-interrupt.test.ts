import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadResults } from '../../results/results-io.js';
import { spawnCli, type RunningCli } from './spawn-cli.js';

const slow = fileURLToPath(new URL('./fixtures/slow-backend.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cachebench-sigint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(name: string, hang: boolean): { started: RunningCli; pids: string; tmp: string; out: string } {
  const pids = join(dir, name, 'pids');
  const tmp = join(dir, name, 'tmp');
  const out = join(dir, name, 'results');
  mkdirSync(pids, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const backends = `memory ${slow}:pids=${pids}${hang ? ',hang=1' : ''}`;
  // TMPDIR: the run's temp folders land where the test can see them.
  const started = spawnCli(
    ['run', 'talk', '-b', backends, '-p', '2', '-n', '100000', '-w', '0', '--no-report', '-o', out],
    { cwd: dir, env: { TMPDIR: tmp } },
  );
  return { started, pids, tmp, out };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function pidsIn(folder: string): number[] {
  return readdirSync(folder).map((f) => Number(readFileSync(join(folder, f), 'utf8')));
}

const workersRunning = (pids: string) => () => readdirSync(pids).filter((f) => f.startsWith('worker-')).length === 2;
const runTemps = (tmp: string) => readdirSync(tmp).filter((f) => f.startsWith('cachebench-'));

describe('Ctrl-C during cachebench run (real processes)', () => {
  it('keeps the finished backend, marks the running one interrupted, writes the file, kills workers and server, removes the temp folder', async () => {
    const { started, pids, tmp, out } = start('once', false);
    await until(workersRunning(pids), "the slow backend's workers");
    started.child.kill('SIGINT');
    const exit = await started.exit;
    expect(exit.code).toBe(130);
    expect(exit.stderr).toMatch(/interrupted: stopping the running backend/);
    const path = /results: (\S+\.json)/.exec(exit.stdout)?.[1];
    expect(path, exit.stdout).toBeDefined();
    const results = await loadResults(path!);
    expect(results.backends.map((b) => [b.label, b.status])).toEqual([
      ['memory', 'completed'],
      [expect.stringContaining('slow-backend.ts'), expect.stringMatching(/^(partial|errored)$/)],
    ]);
    expect(results.backends[1]!.message).toBe('interrupted');
    expect(readdirSync(out)).toHaveLength(1);
    await until(() => pidsIn(pids).every((pid) => !alive(pid)), 'workers and server to be gone');
    expect(runTemps(tmp)).toEqual([]);
  }, 60_000);

  it('a second Ctrl-C exits at once (here teardown hangs), still killing the server and removing the temp folder', async () => {
    const { started, pids, tmp } = start('twice', true);
    await until(workersRunning(pids), "the slow backend's workers");
    started.child.kill('SIGINT');
    await until(() => started.stderr().includes('interrupted:'), 'the first Ctrl-C to be seen');
    expect(runTemps(tmp)).toHaveLength(1); // the hung teardown keeps the run from removing it itself
    started.child.kill('SIGINT');
    const exit = await started.exit;
    expect(exit.code).toBe(130);
    await until(() => pidsIn(pids).every((pid) => !alive(pid)), 'workers and server to be gone');
    expect(runTemps(tmp)).toEqual([]);
  }, 60_000);
});
