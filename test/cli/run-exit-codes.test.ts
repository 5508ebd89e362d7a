import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import { loadResults } from '../../harness/results-io.js';

// What `cachebench run` exits with and writes when backends fail, are bad, or cannot run.
const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const fixtures = fileURLToPath(new URL('../harness/fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cachebench-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = forkModule(main, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: dir, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const quick = ['-p', '1', '-n', '60', '-w', '0', '-q', '--no-report'];

describe('failed operations fail the run', () => {
  it('a backend with some failed operations is partial, the table says so and the run exits 1', async () => {
    const out = join(dir, 'faulty.json');
    const { code, stdout } = await cli(['run', 'talk', '-b', `${join(fixtures, 'faulty.ts')}:errorEvery=4,timeoutEvery=100000`, ...quick, '-o', out]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/status partial: \d+ of \d+ operations failed: injected failure/);
    const results = await loadResults(out);
    expect(results.backends[0]!.status).toBe('partial');
  });
});
