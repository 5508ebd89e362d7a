import { describe, expect, it } from 'vitest';
import { pythonWith } from '../backends/python-availability.js';
import { fixture, run } from './helpers.js';
import { getScenario } from '../../scenarios/registry.js';

const python = pythonWith('json', 'python3');
const talk = getScenario('talk');

describe.skipIf(!python.available)('a foreign worker that misbehaves', () => {
  it('the example worker as shipped answers like the memory floor: same counts and misses', async () => {
    const results = await run(`memory,${fixture('foreign-example', 'mode=example')}`, talk, {
      procs: 2,
      ops: 2_000,
      warmupOps: 100,
    });
    const [memory, example] = results.backends;
    expect(example!.status).toBe('completed');
    expect(example!.description?.version).toBe('example worker');
    const tally = (actions: typeof memory.actions) =>
      Object.fromEntries(Object.entries(actions).map(([k, a]) => [k, [a.count, a.misses]]));
    expect(tally(example!.actions)).toEqual(tally(memory!.actions));
  });

  it('wrapped but behaving, it answers for every operation', async () => {
    const results = await run(fixture('foreign-example', 'mode=none'), talk, { procs: 1, ops: 3_000, warmupOps: 100 });
    const backend = results.backends[0]!;
    expect(backend.status).toBe('completed');
    expect(Object.values(backend.actions).reduce((sum, a) => sum + a.count, 0)).toBe(3_000);
  });

  it('crashing mid-run makes the backend partial, keeps what came back and names the exit', async () => {
    // Short intervals, so that intervals closed before the crash reach the parent (as for a TypeScript worker, the open one is lost).
    const results = await run(
      fixture('foreign-example', 'mode=crash'),
      talk,
      { procs: 2, ops: 10_000, warmupOps: 100 },
      { intervalMs: 1 },
    );
    const backend = results.backends[0]!;
    expect(backend.status).toBe('partial');
    expect(backend.message).toMatch(/exited with code 3: RuntimeError: fixture worker crash on purpose/);
    const count = Object.values(backend.actions).reduce((sum, a) => sum + a.count, 0);
    // Each worker died in its fifth batch of 1,000: some of its first four thousand arrived, nothing after.
    expect(count).toBeGreaterThan(0);
    expect(count).toBeLessThanOrEqual(2 * 4_000);
  });

  it('lying about its count is refused: the batch is not recorded and the backend fails', async () => {
    const results = await run(fixture('foreign-example', 'mode=lie'), talk, { procs: 1, ops: 3_000, warmupOps: 100 });
    const backend = results.backends[0]!;
    expect(backend.status).toBe('errored');
    expect(backend.message).toMatch(/reported 1001 operations for a batch of 1000; its answer is refused/);
    expect(Object.values(backend.actions).reduce((sum, a) => sum + a.count, 0)).toBe(0);
  });
});
