import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../backends/backend.js';
import { getBackendFactory } from '../../backends/registry.js';
import { pythonWorkerScript } from '../../backends/python/python-worker.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { getScenario } from '../../scenarios/registry.js';
import { redisServerBinary } from '../helpers/servers.js';
import { pythonWith } from './python-availability.js';

const diskcache = pythonWith('diskcache', 'python3-diskcache');
const django = pythonWith('django', 'python3-django');
const redisPy = pythonWith('redis', 'python3-redis');
const redisServer = redisServerBinary();

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'cachebench-python-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Provisions and opens a Python backend through create(), as tools and the conformance checks do. */
async function open(
  name: string,
  options: Record<string, string>,
): Promise<{ backend: Backend; spec: Record<string, unknown> }> {
  const where = mkdtempSync(join(directory, `${name}-`));
  const provisioned = await getBackendFactory(name).provision(options, { directory: where });
  const backend = getBackendFactory(name).create(provisioned.spec, name);
  await backend.open();
  return { backend, spec: provisioned.spec };
}

describe('a Python backend without its interpreter or package', () => {
  const saved = process.env.CACHEBENCH_PYTHON;
  afterAll(() => {
    if (saved === undefined) delete process.env.CACHEBENCH_PYTHON;
    else process.env.CACHEBENCH_PYTHON = saved;
  });

  it('is unavailable with a one-line hint naming the Debian package', async () => {
    // An interpreter that cannot import anything stands for a python3 without python3-diskcache.
    const fake = join(directory, 'python-without-packages');
    writeFileSync(fake, '#!/bin/sh\nexit 1\n');
    chmodSync(fake, 0o755);
    process.env.CACHEBENCH_PYTHON = fake;
    const results = await runBenchmark({
      scenario: getScenario('talk'),
      backends: parseBackendChoices('py-diskcache,py-django-filebased'),
      run: { procs: 1, ops: 100, durationSeconds: null, warmupOps: 0, rate: null, loadModel: 'closed', seed: 1 },
    });
    expect(results.backends.map((b) => b.status)).toEqual(['unavailable', 'unavailable']);
    expect(results.backends[0]!.message).toBe(
      `py-diskcache: ${fake} cannot import diskcache; apt-get install python3-diskcache`,
    );
    expect(results.backends[1]!.message).toMatch(/apt-get install python3-django$/);

    process.env.CACHEBENCH_PYTHON = join(directory, 'no-such-python');
    await expect(getBackendFactory('py-redis').provision({}, { directory })).rejects.toThrow(
      /^py-redis: no python3 found .*; apt-get install python3 python3-redis$/,
    );
  });
});

it('the worker script is found, and ships in the package beside dist/', async () => {
  const { readFile } = await import('node:fs/promises');
  expect(readdirSync(join(pythonWorkerScript(), '..'))).toContain('stores.py');
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { files: string[] };
  expect(pkg.files).toContain('backends/python/*.py');
});

describe.skipIf(!diskcache.available)("py-diskcache and py-fanout take diskcache's own settings", () => {
  it('sqlite_synchronous=full reaches diskcache: every write is fsynced', async () => {
    const { backend } = await open('py-diskcache', { sqlite_synchronous: 'full', size_limit: '64MiB' });
    const description = await backend.describe();
    expect(description.durability).toBe('fsync-per-write');
    expect(description.settings).toMatchObject({ sqlite_synchronous: 2, size_limit: 64 * 2 ** 20, timeout: 60 });
    await backend.close();
  });

  it('py-fanout: shards and the 10 ms timeout of FanoutCache', async () => {
    const { backend } = await open('py-fanout', { shards: '3' });
    expect((await backend.describe()).settings).toMatchObject({ shards: 3, timeout: 0.01 });
    await backend.close();
  });

  it('a bad option is named before anything starts', () => {
    expect(() => getBackendFactory('py-fanout').validate!({ shards: 'many' })).toThrow(
      /py-fanout: option shards="many" must be a whole number/,
    );
    expect(() => getBackendFactory('py-diskcache').validate!({ sqlite_synchronous: 'sometimes' })).toThrow(
      /must be one of off, normal, full/,
    );
  });
});

describe.skipIf(!django.available)("py-django-filebased is Django's own FileBasedCache", () => {
  it('culls as MAX_ENTRIES and CULL_FREQUENCY say', async () => {
    const { backend, spec } = await open('py-django-filebased', { max_entries: '40', cull_frequency: '2' });
    for (let i = 0; i < 100; i++) await backend.set(`key-${i}`, `value ${i}`);
    const files = readdirSync(String(spec.directory)).filter((f) => f.endsWith('.djcache'));
    // Django culls half the files whenever a set finds 40 or more: never more than 40 remain.
    expect(files.length).toBeLessThanOrEqual(40);
    expect(files.length).toBeGreaterThan(10);
    expect((await backend.describe()).version).toMatch(/^Django 3\./);
    await backend.close();
  });

  it("defaults to the benchmark's settings, not Django's", async () => {
    const { backend } = await open('py-django-filebased', {});
    expect((await backend.describe()).settings).toEqual({ max_entries: 1000, cull_frequency: 10, timeout: 300 });
    await backend.close();
  });
});

describe.skipIf(!redisPy.available || !redisServer.available)(
  'py-redis against the server the redis backend uses',
  () => {
    it('talk, one process: the same counts and misses as redis (ioredis)', async () => {
      const savedUrl = process.env.REDIS_URL;
      delete process.env.REDIS_URL; // a private server each, never a shared one
      try {
        const results = await runBenchmark({
          scenario: getScenario('talk'),
          backends: parseBackendChoices('redis,py-redis'),
          run: {
            procs: 1,
            ops: 2_000,
            durationSeconds: null,
            warmupOps: 100,
            rate: null,
            loadModel: 'closed',
            seed: 5,
          },
        });
        const [ioredis, py] = results.backends;
        expect(py!.status).toBe('completed');
        const tally = (actions: typeof py.actions) =>
          Object.fromEntries(Object.entries(actions).map(([k, a]) => [k, [a.count, a.misses]]));
        expect(tally(py!.actions)).toEqual(tally(ioredis!.actions));
        expect(py!.description?.version).toMatch(/redis-py 4\./);
        expect(py!.description?.durability).toBe(ioredis!.description?.durability);
      } finally {
        if (savedUrl !== undefined) process.env.REDIS_URL = savedUrl;
      }
    });
  },
);
