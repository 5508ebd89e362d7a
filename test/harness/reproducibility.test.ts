import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getScenario } from '../../scenarios/registry.js';
import { fixture, run } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// The operation logs of every worker, sorted so they compare regardless of process ids.
async function opLogs(seed: number): Promise<string[]> {
  const out = mkdtempSync(join(tmpdir(), 'cachebench-seq-'));
  dirs.push(out);
  await run(fixture('recording', `out=${out}`), getScenario('talk'), { procs: 2, ops: 300, warmupOps: 20, seed });
  return readdirSync(out)
    .map((file) => readFileSync(join(out, file), 'utf8'))
    .sort();
}

describe('seeded reproducibility (real processes)', () => {
  it('the same seed gives the same operation sequence; another seed a different one', async () => {
    const first = await opLogs(1234);
    const again = await opLogs(1234);
    const other = await opLogs(1235);
    expect(first).toHaveLength(2);
    // preload (100 sets) + warm-up + measured ops in each worker
    expect(first[0]!.split('\n')).toHaveLength(100 + 20 + 300);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    // The two workers of one run do not replay the same stream.
    expect(first[0]).not.toEqual(first[1]);
  });
});
