import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../results/histogram.js';
import { loadResults } from '../../results/results-io.js';
import { runCli } from '../cli/spawn-cli.js';

/**
 * What a run times, counted in its histograms: `-n` (and a scenario's sizes)
 * are timed operations per process; warm-up operations come on top and are
 * never recorded. `--full` on the talk times diskcache's 98,999 per process
 * after 1,001 warm-up (its 100,000 operations in all).
 */
const dir = mkdtempSync(join(tmpdir(), 'cachebench-sizes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function histogramTotal(args: string[]): Promise<{ total: number; warmupOps: number; ops: number | null }> {
  const out = join(dir, `${args.join('_').replace(/[^a-z0-9]+/gi, '-')}.json`);
  const { code, stderr } = await runCli(
    ['run', ...args, '-b', 'memory', '--seed', '3', '-q', '--no-report', '-o', out],
    dir,
  );
  expect(code, stderr).toBe(0);
  const results = await loadResults(out);
  const actions = Object.values(results.backends[0]!.actions);
  const total = actions.reduce((sum, action) => sum + decodeHistogram(action.histogram).totalCount, 0);
  return { total, warmupOps: results.run.warmupOps, ops: results.run.ops };
}

describe('timed operation counts (real runs)', () => {
  it('talk --full times 98,999 operations per process after 1,001 warm-up', async () => {
    const run = await histogramTotal(['talk', '--full', '-p', '2']);
    expect(run).toEqual({ total: 2 * 98_999, warmupOps: 1_001, ops: 98_999 });
  }, 120_000);

  it('-n counts timed operations only, whatever the warm-up', async () => {
    expect(await histogramTotal(['django', '-p', '2', '-n', '300', '-w', '50'])).toEqual({
      total: 600,
      warmupOps: 50,
      ops: 300,
    });
  }, 60_000);
});
