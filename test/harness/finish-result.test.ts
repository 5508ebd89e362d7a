import { describe, expect, it } from 'vitest';
import { finishResult } from '../../harness/finish-result.js';
import type { WorkerHandle } from '../../harness/worker-handle.js';
import type { BackendResult } from '../../results/results.js';

// A handle as the parent holds it once its worker has gone: what finishResult reads, nothing else.
function stoppedWorker(exitedAtNs: bigint): WorkerHandle {
  return {
    endNs: undefined,
    exitedAtNs,
    intervals: [],
    counters: {},
    metrics: {},
    failure: 'interrupted',
  } as unknown as WorkerHandle;
}

describe('finishResult', () => {
  it('gives a backend stopped before its release instant a wall time of 0, never a negative one', () => {
    const base: BackendResult = {
      label: 'sqlite',
      name: 'sqlite',
      status: 'completed',
      wallSeconds: 0,
      actions: {},
      intervals: [],
    };
    const releaseNs = process.hrtime.bigint() + 50_000_000n;
    const result = finishResult(
      base,
      [stoppedWorker(releaseNs - 20_000_000n)],
      { releaseNs, measureAtNs: undefined },
      1000,
      undefined,
      undefined,
    );
    expect(result.wallSeconds).toBe(0);
    expect(result.status).toBe('errored');
  });
});
