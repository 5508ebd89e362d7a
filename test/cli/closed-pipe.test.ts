import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';

const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cachebench-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with its stdout (and, when asked, stderr) read by nobody: the reader closed before the first line, like `| head` that has seen enough. */
function closedReader(
  args: string[],
  closeStderr = false,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((done) => {
    const child = forkModule(main, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: dir });
    child.stdout!.destroy();
    let stderr = '';
    if (closeStderr) child.stderr!.destroy();
    else child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => done({ code, signal, stderr }));
  });
}

describe('a reader that closes early (cachebench … | head)', () => {
  it.each([[['backends']], [['scenarios', '--json']], [['--help']]])(
    '%j exits 0 without an EPIPE trace',
    async (args) => {
      const exit = await closedReader(args);
      expect(exit.stderr).not.toMatch(/EPIPE|\n\s+at /);
      expect(exit.signal).toBeNull();
      expect(exit.code).toBe(0);
    },
    30_000,
  );

  it('run finishes its work (results file written) with stdout and stderr both closed, and exits 0', async () => {
    const out = join(dir, 'run');
    const exit = await closedReader(
      ['run', 'talk', '-b', 'memory', '-p', '1', '-n', '50', '-w', '0', '--no-report', '-o', out],
      true,
    );
    expect(exit.code).toBe(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  }, 60_000);
});
