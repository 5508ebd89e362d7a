import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import { loadResults } from '../../harness/results-io.js';

const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cachebench-sweep-sigint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in its own process group, as a shell runs a job; `interruptWhen`
 * is polled and, once true, SIGINT goes to the whole group (the CLI and its
 * workers), as Ctrl-C on a terminal does.
 */
function cli(args: string[], interruptWhen?: () => boolean): Promise<Exit> {
  return new Promise((resolve) => {
    const child = forkModule(main, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: dir, detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let sent = false;
    const timer = interruptWhen
      ? setInterval(() => {
        if (!sent && interruptWhen()) {
          sent = true;
          process.kill(-child.pid!, 'SIGINT');
        }
      }, 50)
      : undefined;
    child.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const runFiles = (out: string): string[] => (existsSync(join(out, 'runs')) ? readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.json')) : []);

describe('Ctrl-C during cachebench sweep (real processes, SIGINT to the process group)', () => {
  const out = join(dir, 'sweep');
  // 3 combinations (off, full, the added defaults) × 2 repeats; runs long enough to be caught mid-way.
  const args = ['sweep', 'talk', '--grid', 'synchronous=off,full', '--repeat', '2', '-p', '1', '-n', '3000', '-w', '10', '--confirm', '0', '--no-png', '--out', out];

  it('says how many runs are done and how to resume, exits 130, keeps only completed runs; the same command resumes', async () => {
    const stopped = await cli(args, () => runFiles(out).length >= 1);
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/^interrupted: stopping the running run; completed runs are kept/m);
    const line = /^sweep interrupted after (\d+) of 6 runs; run the same command to resume$/m.exec(stopped.stderr);
    expect(line, stopped.stderr).not.toBeNull();
    const kept = runFiles(out);
    expect(Number(line![1])).toBe(kept.length);
    expect(kept.length).toBeLessThan(6);
    // The run Ctrl-C stopped is not kept, and no half-written file is left.
    for (const f of kept) expect((await loadResults(join(out, 'runs', f))).backends[0]!.status).toBe('completed');
    expect(readdirSync(join(out, 'runs')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);

    const resumed = await cli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resumed ${out}: ${kept.length} of 6 runs were already done, ran ${6 - kept.length}`);
    expect(runFiles(out)).toHaveLength(6);
  }, 180_000);
});
