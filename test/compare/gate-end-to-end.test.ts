import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compareAction } from '../../cli/commands/compare.js';
import type { CommandIo } from '../../compare/command-support.js';
import type { ComparisonReport } from '../../compare/report.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import { writeResults } from '../../harness/results-io.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { getScenario } from '../../scenarios/registry.js';
import type { Scenario } from '../../scenarios/scenario.js';

/**
 * End to end with real worker processes: a backend whose set sleeps 1 ms on 2%
 * of calls is caught on set.p99 against the same backend without the sleep,
 * through the harness, results files on disk and the compare command.
 */
const dir = mkdtempSync(join(tmpdir(), 'cachebench-compare-e2e-'));
afterAll(() => {
  delete process.env.CACHEBENCH_SLEEPY_FRACTION;
  rmSync(dir, { recursive: true, force: true });
});

const sleepy = fileURLToPath(new URL('./fixtures/sleepy-set.ts', import.meta.url));
// Half sets, so each run has enough sets for a p99; preloaded keys, no deletes.
const scenario: Scenario = { ...getScenario('talk'), name: 'half-set', mix: { get: 0.5, set: 0.5 } };
// Four runs a side is the fewest at which the rank test can reach p < 0.05
// (smallest p = 2/70); it keeps this file's 16 real runs under ~15 s.
const RUNS = 4;

async function runSide(name: string, fraction: number): Promise<string> {
  process.env.CACHEBENCH_SLEEPY_FRACTION = String(fraction);
  const folder = join(dir, name);
  mkdirSync(folder);
  for (let i = 1; i <= RUNS; i++) {
    const results = await runBenchmark({
      scenario,
      backends: parseBackendChoices(`${sleepy};memory`),
      run: { procs: 1, ops: 1_500, durationSeconds: null, warmupOps: 100, rate: null, loadModel: 'closed', seed: i },
    });
    await writeResults(join(folder, `run-${i}.json`), results);
  }
  return folder;
}

function captureIo(): CommandIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (text: string) => void (io.out += text),
    stderr: (text: string) => void (io.err += text),
    setExitCode: () => {},
    exit: () => {},
  };
  return io;
}

describe('compare end to end with real runs', () => {
  it('catches 1 ms sleeps on 2% of sets on set.p99, normalised to the memory backend', async () => {
    const base = await runSide('base', 0);
    const head = await runSide('head', 0.02);
    const json = join(dir, 'compare.json');
    const io = captureIo();
    const code = await compareAction(base, head, { reference: 'memory', failOn: 'set.p99>20%,get.p99>20%', json }, io);
    expect(io.err).toBe('');
    expect(code).toBe(1);
    expect(io.out).toMatch(/gate: FAILED — .*sleepy-set\.ts\/set\.p99/);
    // Gets never sleep, so the get rule must not be among the failures.
    expect(io.out).not.toMatch(/FAILS get\.p99/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as ComparisonReport;
    expect(report.mode).toBe('repeated-runs');
    const setP99 = report.rows.find((r) => r.action === 'set' && r.statistic === 'p99')!;
    // A 1 ms sleep dwarfs an in-memory set of a few µs: far beyond 20%.
    expect(setP99.verdict).toBe('slower');
    expect(setP99.ratio).toBeGreaterThan(2);
    expect(setP99.ci![0]).toBeGreaterThan(1.2);
  });
});
