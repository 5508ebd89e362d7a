import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkModule } from '../../harness/fork-module.js';
import { loadResults } from '../../results/results-io.js';
import type { ResultsFile } from '../../results/results.js';
import { mergeResults } from '../../results/merge-results.js';

// Two real runs of one configuration differ in their temp directories; merge must still take them.
const main = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cachebench-merge-real-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = forkModule(main, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], cwd: dir });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('merging real repeated runs', () => {
  let runs: ResultsFile[];
  beforeAll(async () => {
    const out = join(dir, 'base.json');
    const { code, stderr } = await cli([
      'run',
      'talk',
      '-b',
      'sqlite,filebased',
      '--repeat',
      '2',
      '-p',
      '1',
      '-n',
      '40',
      '-w',
      '0',
      '-q',
      '--no-report',
      '-o',
      out,
    ]);
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const folder = join(dir, 'base');
    runs = await Promise.all(
      readdirSync(folder)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => loadResults(join(folder, f))),
    );
  }, 60_000);

  it('records the temp directories as the instance, not as settings', () => {
    expect(runs).toHaveLength(2);
    for (const label of ['sqlite', 'filebased']) {
      const [a, b] = runs.map((r) => r.backends.find((x) => x.label === label)!.description!);
      expect(a.instance?.directory).toBeTypeOf('string');
      expect(a.instance?.directory).not.toBe(b.instance?.directory);
      expect(Object.values(a.settings)).not.toContain(a.instance?.directory);
    }
  });

  it('merges the two runs and adds their counts', () => {
    const merged = mergeResults(runs);
    for (const backend of merged.backends) {
      const count = (r: ResultsFile) =>
        Object.values(r.backends.find((x) => x.label === backend.label)!.actions).reduce((s, a) => s + a.count, 0);
      expect(Object.values(backend.actions).reduce((s, a) => s + a.count, 0)).toBe(count(runs[0]!) + count(runs[1]!));
    }
  });
});
