import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackendFactory } from '../../backends/registry.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { getScenario } from '../../scenarios/registry.js';
import { pythonWith } from './python-availability.js';

const bsddb3 = pythonWith('bsddb3', 'python3-bsddb3');

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'cachebench-berkeleydb-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

it('without python3-bsddb3 it is unavailable with the apt-get line', async () => {
  // An interpreter that imports nothing stands for a python3 without python3-bsddb3.
  const fake = join(directory, 'python-without-bsddb3');
  writeFileSync(fake, '#!/bin/sh\nexit 1\n');
  chmodSync(fake, 0o755);
  const saved = process.env.CACHEBENCH_PYTHON;
  process.env.CACHEBENCH_PYTHON = fake;
  try {
    await expect(getBackendFactory('py-berkeleydb').provision({}, { directory })).rejects.toThrow(
      `py-berkeleydb: ${fake} cannot import bsddb3; apt-get install python3-bsddb3`,
    );
  } finally {
    if (saved === undefined) delete process.env.CACHEBENCH_PYTHON;
    else process.env.CACHEBENCH_PYTHON = saved;
  }
});

describe.skipIf(!bsddb3.available)('py-berkeleydb: one Berkeley DB environment shared by worker processes', () => {
  it('talk, 2 processes, transactions=sync: every op answered, none errored, durability fsync-per-write', async () => {
    const results = await runBenchmark({
      scenario: getScenario('talk'),
      backends: parseBackendChoices('py-berkeleydb:transactions=sync,access=btree'),
      run: { procs: 2, ops: 1_500, durationSeconds: null, warmupOps: 50, rate: null, loadModel: 'closed', seed: 3 },
    });
    const [bdb] = results.backends;
    expect(bdb!.status, bdb!.message).toBe('completed');
    const actions = Object.values(bdb!.actions);
    expect(actions.reduce((sum, a) => sum + a.count, 0)).toBe(2 * 1_500);
    expect(actions.reduce((sum, a) => sum + a.errors + a.timeouts, 0)).toBe(0);
    expect(bdb!.description?.durability).toBe('fsync-per-write');
    expect(bdb!.description?.version).toMatch(/^Berkeley DB 5\.\d+\.\d+, bsddb3 /);
  });

  it('a value one process writes is read by another through the shared environment', async () => {
    const factory = getBackendFactory('py-berkeleydb');
    const provisioned = await factory.provision(
      { transactions: 'write-nosync' },
      { directory: mkdtempSync(join(directory, 'shared-')) },
    );
    const writer = factory.create(provisioned.spec, 'py-berkeleydb');
    const reader = factory.create(provisioned.spec, 'py-berkeleydb');
    await writer.open();
    await reader.open();
    try {
      expect(await writer.set('shared', Uint8Array.of(1, 2, 3))).toBe(true);
      expect(await reader.get('shared')).toEqual(Uint8Array.of(1, 2, 3));
      expect(await reader.incr!('n', 5)).toBe(5);
      expect(await writer.incr!('n', 2)).toBe(7);
      expect((await reader.describe()).durability).toBe('os-buffered');
    } finally {
      await writer.close();
      await reader.close();
    }
  });

  it('bad options name the option and the choices', () => {
    const validate = getBackendFactory('py-berkeleydb').validate!;
    expect(() => validate({ access: 'queue' })).toThrow(/option access="queue" must be one of hash, btree/);
    expect(() => validate({ transactions: 'yes' })).toThrow(/must be one of no, write-nosync, sync/);
    expect(() => validate({ cache_size: '1K' })).toThrow(/cache_size="1K" must be between 20KiB and 4GiB/);
    expect(() => validate({ acess: 'hash' })).toThrow(/did you mean "access"/);
  });
});
