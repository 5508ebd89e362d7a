/**
 * A backend that did not run (here leveldb, which takes one process, asked for
 * two: a real run through the harness) is said once, at the top of the
 * summary, and gets no section of its own in tables.txt, index.html or
 * report.md, nor a row among the backends.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportAction } from '../../cli/commands/report.js';
import { generateReport } from '../../reports/index.js';
import { writeResults } from '../../results/results-io.js';
import type { ResultsFile } from '../../results/results.js';
import { getScenario } from '../../scenarios/registry.js';
import { run } from '../harness/helpers.js';
import { runCli, spawnCli } from '../cli/spawn-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-not-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let file: ResultsFile;
let reason: string;
const reportDir = join(dir, 'report');
const read = (name: string): string => readFileSync(join(reportDir, name), 'utf8');
const occurrences = (text: string, part: string): number => text.split(part).length - 1;

beforeAll(async () => {
  file = await run('memory,leveldb', getScenario('talk'), { procs: 2, ops: 100 });
  const leveldb = file.backends.find((b) => b.label === 'leveldb')!;
  expect(leveldb.status).toBe('unavailable');
  reason = leveldb.message!;
  expect(reason).toMatch(/at most 1 process/);
  await generateReport([file], reportDir, { png: false });
}, 120_000);

describe('a backend that did not run', () => {
  it('opens the summary with one line naming it and the reason', () => {
    const summary = read('summary.txt');
    expect(summary.split('\n')[0]).toBe(`not run: ${reason.startsWith('leveldb:') ? reason : `leveldb: ${reason}`}`);
    expect(summary.split('\n')[2]).toMatch(/^Summary \(/);
    expect(occurrences(summary, reason)).toBe(1);
    const json = JSON.parse(read('summary.json')) as { notRun?: unknown[] };
    expect(json.notRun).toEqual([{ label: 'leveldb', name: 'leveldb', message: reason }]);
  });

  it('has no section in tables.txt, report.md or index.html', () => {
    const tables = read('tables.txt');
    expect(tables).toContain('Timings for memory');
    expect(tables).not.toContain('leveldb');
    const markdown = read('report.md');
    expect(occurrences(markdown, reason)).toBe(1);
    expect(markdown).not.toContain('Timings for leveldb');
    const html = read('index.html');
    expect(occurrences(html, reason)).toBe(1);
    expect(html).not.toContain('Timings for leveldb');
    expect(html).not.toContain('<td>leveldb</td>');
    expect(html).toMatch(/<ul class="not-run"><li><strong>not run:<\/strong> leveldb: [^<]*at most 1 process/);
  });

  it('`cachebench report` prints the line first, and nowhere else', async () => {
    const path = join(dir, 'run.json');
    await writeResults(path, file);
    let stdout = '';
    let stderr = '';
    await reportAction(
      [path],
      { out: join(dir, 'cli-report'), png: false },
      {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        setExitCode: () => undefined,
      },
    );
    expect(stderr).toBe('');
    expect(stdout.split('\n')[0]).toMatch(/^not run: leveldb: .*at most 1 process/);
    expect(occurrences(stdout, reason)).toBe(1);
    expect(stdout).not.toContain('Timings for leveldb');
  }, 60_000);

  it('`cachebench run` with its report says it once, at the top', async () => {
    const out = join(dir, 'cli-run.json');
    const { code, stdout } = await runCli(
      ['run', 'talk', '-b', 'memory,leveldb', '-p', '2', '-n', '20', '-w', '0', '-q', '-o', out],
      dir,
      { NO_COLOR: '1' },
    );
    expect(code).toBe(1);
    expect(stdout.split('\n')[2]).toMatch(/^not run: leveldb: .*at most 1 process/);
    expect(stdout.match(/at most 1 process/g)).toHaveLength(1);
    expect(stdout).not.toContain('Timings for leveldb');
    expect(readFileSync(join(dir, 'cli-run-report', 'tables.txt'), 'utf8')).not.toContain('leveldb');
  }, 90_000);

  it('`cachebench run` stopped by Ctrl-C says it above the tables it prints', async () => {
    const pids = join(dir, 'pids');
    mkdirSync(pids);
    const slow = fileURLToPath(new URL('../cli/fixtures/slow-backend.ts', import.meta.url));
    const started = spawnCli(
      [
        'run',
        'talk',
        '-b',
        `leveldb ${slow}:pids=${pids}`,
        '-p',
        '2',
        '-n',
        '100000',
        '-w',
        '0',
        '-q',
        '-o',
        join(dir, 'stopped'),
      ],
      { cwd: dir, env: { NO_COLOR: '1' } },
    );
    const deadline = Date.now() + 30_000;
    while (readdirSync(pids).filter((f) => f.startsWith('worker-')).length < 2) {
      if (Date.now() > deadline) throw new Error('the slow backend did not start its workers');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    started.child.kill('SIGINT');
    const { code, stdout } = await started.exit;
    expect(code).toBe(130);
    expect(stdout.split('\n')[2]).toMatch(/^not run: leveldb: .*at most 1 process/);
    expect(stdout.match(/at most 1 process/g)).toHaveLength(1);
    expect(stdout).not.toContain('Timings for leveldb');
  }, 60_000);
});
