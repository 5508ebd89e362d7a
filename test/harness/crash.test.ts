import { describe, expect, it } from 'vitest';
import { fixture, getOnly, run } from './helpers.js';

describe('a worker that crashes', () => {
  it('is reported as partial with a one-line message, and the other workers still count', async () => {
    const procs = 3;
    const ops = 3_000;
    const results = await run(fixture('crash', 'crashAt=1500'), getOnly(), { procs, ops }, { intervalMs: 50 });
    const backend = results.backends[0]!;
    expect(backend.status).toBe('partial');
    expect(backend.message).toMatch(/^worker \d exited with code 3 after \d+ ops: Error: fixture crash on purpose$/);
    const count = backend.actions.get!.count;
    // The two survivors finished all their ops; the crashed one left what its finished intervals held.
    expect(count).toBeGreaterThanOrEqual((procs - 1) * ops);
    expect(count).toBeLessThan(procs * ops);
  });
});
