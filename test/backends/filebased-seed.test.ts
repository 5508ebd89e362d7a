/**
 * filebased culls at random; a seeded run must repeat those choices too. Without
 * `filebased:seed=N` the culling seed comes from the run's --seed and the worker
 * index (BackendFactory.create's context), and describe() records the one used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filebasedFactory } from '../../backends/filebased.js';
import { getScenario } from '../../scenarios/registry.js';
import { backendSeed } from '../../scenarios/workload.js';
import { run } from '../harness/helpers.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cachebench-filebased-seed-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Sets more keys than fit, then counts which of them survived the culls. */
async function survivors(
  options: Record<string, string>,
  context?: { seed: number; worker: number },
): Promise<{ kept: string[]; cullSeed: unknown }> {
  const provisioned = await filebasedFactory.provision(
    { max_entries: '60', cull_frequency: '3', ...options },
    { directory: join(root, String(Math.random())) },
  );
  try {
    const backend = filebasedFactory.create(provisioned.spec, 'filebased', context);
    backend.open();
    for (let i = 0; i < 200; i++) backend.set(`k${i}`, 'v');
    const kept: string[] = [];
    for (let i = 0; i < 200; i++) if (backend.get(`k${i}`) !== undefined) kept.push(`k${i}`);
    const description = await backend.describe();
    return { kept, cullSeed: description.instance?.cull_seed };
  } finally {
    await provisioned.teardown();
  }
}

describe('filebased culling seed', () => {
  it("uses the run's seed from the create context, and records it", async () => {
    const a = await survivors({}, { seed: 42, worker: 0 });
    const b = await survivors({}, { seed: 42, worker: 0 });
    const c = await survivors({}, { seed: 43, worker: 0 });
    expect(a.cullSeed).toBe(42);
    expect(b.kept).toEqual(a.kept);
    expect(c.cullSeed).toBe(43);
    expect(c.kept).not.toEqual(a.kept);
  });

  it('an explicit seed option wins over the run seed', async () => {
    const explicit = await survivors({ seed: '7' }, { seed: 42, worker: 0 });
    const alone = await survivors({ seed: '7' });
    expect(explicit.cullSeed).toBe(7);
    expect(explicit.kept).toEqual(alone.kept);
  });

  it('workers of one run get different seeds; the same run seed gives the same ones', () => {
    expect(backendSeed(5, 0)).not.toBe(backendSeed(5, 1));
    expect(backendSeed(5, 1)).toBe(backendSeed(5, 1));
    // Consecutive run seeds (--repeat) do not hand one worker's sequence to another worker.
    expect(backendSeed(6, 0)).not.toBe(backendSeed(5, 1));
  });

  it('two runs with the same --seed cull the same files: equal miss counts (real processes)', async () => {
    const django = getScenario('django');
    const once = async () => {
      const file = await run(
        'filebased',
        django,
        { procs: 1, ops: 2_000, warmupOps: 0, seed: 5 },
        { callFloors: false },
      );
      const backend = file.backends[0]!;
      expect(backend.status).toBe('completed');
      return { misses: backend.actions.get!.misses, cullSeed: backend.description?.instance?.cull_seed };
    };
    const first = await once();
    const second = await once();
    // django's 1,100 keys overflow max_entries=1000, so culling happened and made misses.
    expect(first.misses).toBeGreaterThan(0);
    expect(second.misses).toBe(first.misses);
    expect(first.cullSeed).toBe(backendSeed(5, 0));
    expect(second.cullSeed).toBe(first.cullSeed);
  });
});
