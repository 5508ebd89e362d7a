import { expect, it } from 'vitest';
import { BACKENDS, DEFAULT_BACKENDS } from '../../backends/registry.js';
import { resolveRun } from '../../cli/commands/run.js';

const ALTERNATIVES = ['lmdb', 'leveldb', 'rocksdb', 'memcached', 'py-berkeleydb'];

it('--backends all runs every registered backend, the alternative databases included', async () => {
  const { backends } = await resolveRun('talk', { out: 'results', backends: 'all' });
  const labels = backends.map((b) => b.label);
  expect(labels).toEqual([...BACKENDS.keys()]);
  for (const name of ALTERNATIVES) expect(labels).toContain(name);
});

it('the default run (no --backends) leaves the alternative databases out, so it stays short', async () => {
  const { backends } = await resolveRun('talk', { out: 'results' });
  expect(backends.map((b) => b.label)).toEqual([...DEFAULT_BACKENDS]);
  for (const name of ALTERNATIVES) expect(DEFAULT_BACKENDS).not.toContain(name);
});
