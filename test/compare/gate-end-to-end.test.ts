import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ComparisonReport } from '../../compare/report.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import { writeResults } from '../../results/results-io.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { getScenario } from '../../scenarios/registry.js';
import type { Scenario } from '../../scenarios/scenario.js';

/**
 * End to end: real runs (the harness forks worker processes) of a backend
 * whose set sleeps 1 ms on 2% of calls, against the same backend without the
 * sleep, written as results files, then `cachebench compare` in its own
 * process, judged by its exit code. The repeated runs go through the harness
 * API rather than eight `cachebench run` processes to keep this file near
 * 15 s on a shared 2-core machine; one `cachebench run` process is spawned in
 * the mismatch test below.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cachebench-compare-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleepy = fileURLToPath(new URL('./fixtures/sleepy-set.ts', import.meta.url));
// Four runs a side is the fewest at which the rank test can reach p < 0.05
// (smallest p = 2/70).
const RUNS = 4;

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

function cachebench(args: string[]): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'cli/main.ts'), ...args],
      { cwd: root },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

// Half sets, so each run has enough sets for a p99 (the talk mix has 9%).
const halfSet: Scenario = { ...getScenario('talk'), name: 'half-set', mix: { get: 0.5, set: 0.5 } };

async function runSide(name: string, fraction: number): Promise<string> {
  // Read by the fixture's provision() in this (the parent) process.
  process.env.CACHEBENCH_SLEEPY_FRACTION = String(fraction);
  const folder = join(dir, name);
  try {
    for (let i = 1; i <= RUNS; i++) {
      const results = await runBenchmark({
        scenario: halfSet,
        backends: parseBackendChoices(`${sleepy};memory`),
        run: { procs: 1, ops: 1_500, durationSeconds: null, warmupOps: 100, rate: null, loadModel: 'closed', seed: i },
      });
      await writeResults(join(folder, `run-${i}.json`), results);
    }
  } finally {
    delete process.env.CACHEBENCH_SLEEPY_FRACTION;
  }
  return folder;
}

describe('compare end to end with real runs', () => {
  it('catches 1 ms sleeps on 2% of sets on set.p99, normalised to the memory backend', async () => {
    const base = await runSide('base', 0);
    const head = await runSide('head', 0.02);
    const json = join(dir, 'compare.json');
    const result = await cachebench([
      'compare',
      base,
      head,
      '--reference',
      'memory',
      '--fail-on',
      'set.p99>20%,get.p99>20%',
      '--json',
      json,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/gate: FAILED — .*sleepy-set\.ts\/set\.p99/);
    // Gets never sleep, so the get rule must not be among the failures.
    expect(result.stdout).not.toMatch(/FAILS get\.p99/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as ComparisonReport;
    expect(report.mode).toBe('repeated-runs');
    const setP99 = report.rows.find((r) => r.action === 'set' && r.statistic === 'p99')!;
    // A 1 ms sleep dwarfs an in-memory set of well under a µs: far beyond 20%.
    expect(setP99.verdict).toBe('slower');
    expect(setP99.ratio).toBeGreaterThan(2);
    expect(setP99.ci![0]).toBeGreaterThan(1.2);
  });

  it('with too few runs a --fail-on gate exits 2 naming the runs needed, never a silent pass; --judge-within-run judges and says so', async () => {
    // The runs written by the first test: 3 and 1 of each side, where the rank test cannot reach p < 0.05.
    const subset = (side: string, count: number): string => {
      const folder = join(dir, `${side}-${count}`);
      mkdirSync(folder);
      for (let i = 1; i <= count; i++) copyFileSync(join(dir, side, `run-${i}.json`), join(folder, `run-${i}.json`));
      return folder;
    };
    const rules = ['--reference', 'memory', '--fail-on', 'set.p99>20%'];
    for (const count of [3, 1]) {
      const markdown = join(dir, `not-judged-${count}.md`);
      const json = join(dir, `not-judged-${count}.json`);
      const result = await cachebench([
        'compare',
        subset('base', count),
        subset('head', count),
        ...rules,
        '--markdown',
        markdown,
        '--json',
        json,
      ]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^cachebench compare: gate not judged: 1 row\\(s\\) named by --fail-on could not be judged: .*sleepy-set\\.ts/set\\.p99 \\(need ≥ 4 runs a side\\)\\. ${count} base and ${count} head run\\(s\\) given; run each side at least 4 times`,
        ),
      );
      // The table still shows what was measured (the set p99 far above base), and the gate line says it was not judged.
      expect(result.stdout).toMatch(/sleepy-set\.ts +set +p99 .*not judged \(need ≥ 4 runs a side\)$/m);
      expect(result.stdout).toMatch(/^gate: NOT JUDGED — /m);
      expect(result.stdout).not.toMatch(/gate: passed/);
      expect(readFileSync(markdown, 'utf8')).toMatch(/⚠️ gate: NOT JUDGED/);
      const report = JSON.parse(readFileSync(json, 'utf8')) as {
        gate: { status: string; failed: boolean; notJudged: { rule: string; reason: string }[] };
      };
      expect(report.gate).toMatchObject({
        status: 'not judged',
        failed: false,
        notJudged: [{ rule: 'set.p99>20%', reason: 'need ≥ 4 runs a side' }],
      });
    }
    const judged = await cachebench([
      'compare',
      join(dir, 'base-3'),
      join(dir, 'head-3'),
      ...rules,
      '--judge-within-run',
    ]);
    expect(judged.code).toBe(1);
    expect(judged.stderr).toBe('');
    expect(judged.stdout).toMatch(
      /--judge-within-run: merged histograms, 95% order-statistic intervals \(within-run noise only\)/,
    );
    expect(judged.stdout).toMatch(/^gate: FAILED — .*sleepy-set\.ts\/set\.p99/m);
  });

  it('exits 2 through real processes on mismatched scenarios', async () => {
    const a = join(dir, 'base', 'run-1.json'); // written by the test above
    const other = join(dir, 'other.json');
    const result = await cachebench([
      'run',
      'talk',
      '-b',
      'memory',
      '-p',
      '1',
      '-n',
      '200',
      '-s',
      '1',
      '-q',
      '-o',
      other,
    ]);
    expect(result.code).toBe(0);
    const mismatch = await cachebench(['compare', a, other]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr.trim().split('\n')).toHaveLength(1);
    expect(mismatch.stderr).toMatch(/cachebench compare: scenarios differ: .*"half-set".*"talk"/);
  });
});
