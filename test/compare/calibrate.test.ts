import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { calibrate, resolveInjection, type CalibrationResult } from '../../compare/calibrate.js';
import { formatCalibration } from '../../compare/format-calibration.js';
import { moduleCommand } from '../../harness/fork-module.js';
import { loadResults } from '../../results/results-io.js';
import { CLI_MAIN } from '../cli/spawn-cli.js';
import { syntheticRuns } from './fixtures/synthetic-results.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-calibrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('injections sized from the A/A runs', () => {
  const aa = syntheticRuns(3, 1, {
    backends: { sqlite: { set: { medianNs: 20_000, sigma: 0.01 } }, memory: { set: { medianNs: 1_000, sigma: 0.01 } } },
  });

  it("turn +P% into P% of that backend-method's median, keeping a share", () => {
    const ns = Number(/^sqlite:set=(\d+)ns$/.exec(resolveInjection('sqlite:set=+10%', aa))![1]);
    expect(ns).toBeGreaterThan(1_900);
    expect(ns).toBeLessThan(2_100);
    const shared = /^memory:set=(\d+)ns@2%$/.exec(resolveInjection('memory:set=+50%@2%', aa));
    expect(Number(shared![1])).toBeGreaterThan(450);
    expect(Number(shared![1])).toBeLessThan(550);
  });

  it('pass absolute rules through, and refuse a method no backend timed', () => {
    expect(resolveInjection('sqlite:set=6us', aa)).toBe('sqlite:set=6us');
    expect(() => resolveInjection('sqlite:get=+10%', aa)).toThrow('no sqlite timed get in the A/A runs');
  });
});

describe('the calibration table', () => {
  it('counts false alarms and catches per condition and reports the A/A detectable size', () => {
    const outcome = (
      condition: string,
      trial: number,
      gateFailed: boolean,
      change: number,
      detectable: number | 'none',
    ) => ({
      condition,
      trial,
      gateFailed,
      changes: { 'set.median>5%': change },
      detectable: { 'set.median>5%': detectable },
      seconds: 30,
    });
    const result: CalibrationResult = {
      pairs: 10,
      trials: 2,
      failOn: 'set.median>5%',
      seconds: 120,
      outcomes: [
        outcome('A/A', 1, false, 1.01, 0.08),
        outcome('set=2us', 1, true, 1.11, 0.07),
        outcome('A/A', 2, true, 1.06, 0.1),
        outcome('set=2us', 2, true, 1.09, 0.09),
      ],
    };
    const text = formatCalibration(result);
    expect(text).toMatch(/A\/A \(identical sides\)\s+1 of 2 \(false alarms\)\s+\+3\.5% \(\+1\.0% … \+6\.0%\)/);
    expect(text).toMatch(/inject set=2us\s+2 of 2 \(caught\)\s+\+10% \(\+9\.0% … \+11%\)/);
    expect(text).toMatch(/set\.median>5%: \+9\.0%/);
    expect(text).toMatch(/took 120 s: 4 trials, 30\.0 s each/);
  });
});

describe('a real calibration', () => {
  it('catches a large injected delay with 6 interleaved pairs of real runs', async () => {
    const result = await calibrate({
      command: { argv: moduleCommand(CLI_MAIN), cwd: process.cwd() },
      runArgs: ['talk', '-b', 'memory', '-p', '1', '-n', '300', '-w', '0'],
      pairs: 6,
      trials: 1,
      firstTrial: 3,
      injections: ['memory:set=+1000%'],
      failOn: 'memory/set.median>10%',
      outDir: dir,
      load: loadResults,
    });
    const injected = result.outcomes.find((o) => o.condition !== 'A/A')!;
    expect(injected.condition).toMatch(/^memory:set=\d+ns$/);
    expect(injected.gateFailed).toBe(true);
    expect(injected.changes['memory/set.median>10%']).toBeGreaterThan(5);
    // The A/A trial ran and was judged (its verdict is left to chance at alpha; only that it was measured is certain).
    const aa = result.outcomes.find((o) => o.condition === 'A/A')!;
    expect(aa.detectable['memory/set.median>10%']).not.toBeUndefined();
    // Numbered from --first-trial, with that trial's seeds: 1 + (3 - 1) × 6 pairs for its first pair.
    expect(result.outcomes.map((o) => o.trial)).toEqual([3, 3]);
    const seeds = runSeeds(join(dir, 'trial-03-aa'));
    expect(Math.min(...seeds)).toBe(13);
    expect(new Set(seeds).size).toBe(6);
  }, 400_000);
});

/** The seed of every results file under a trial's folder. */
function runSeeds(folder: string): number[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map(
      (entry) =>
        (JSON.parse(readFileSync(join(entry.parentPath, entry.name), 'utf8')) as { run: { seed: number } }).run.seed,
    );
}
