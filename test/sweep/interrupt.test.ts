import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli as runCli, runFiles, type StopWhen } from './cli-process.js';
import type { CliExit as Exit } from '../cli/spawn-cli.js';
import { loadResults } from '../../results/results-io.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-sweep-sigint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (args: string[], stop?: StopWhen): Promise<Exit> => runCli(args, dir, stop);

describe('Ctrl-C during cachebench sweep (real processes, SIGINT to the process group)', () => {
  const out = join(dir, 'sweep');
  // 3 combinations (off, full, the added defaults) × 2 repeats; runs long enough to be caught mid-way.
  const args = [
    'sweep',
    'talk',
    '--grid',
    'synchronous=off,full',
    '--repeat',
    '2',
    '-p',
    '1',
    '-n',
    '3000',
    '-w',
    '10',
    '--confirm',
    '0',
    '--no-png',
    '--out',
    out,
  ];

  it('says how many runs are done and how to resume, exits 130, keeps only completed runs; the same command resumes', async () => {
    const stopped = await cli(args, { when: () => runFiles(out).length >= 1, how: 'interrupt' });
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
    expect(resumed.stderr).toContain(
      `resumed ${out}: ${kept.length} of 6 runs ${kept.length === 1 ? 'was' : 'were'} already done, ran ${6 - kept.length}`,
    );
    expect(runFiles(out)).toHaveLength(6);
  }, 180_000);
});
