import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../../backends/registry.js';
import { forkModule } from '../../harness/fork-module.js';
import { memcachedBinary, redisServerBinary } from '../helpers/servers.js';

/**
 * Provision in the parent, create in workers: a spec must survive the trip
 * through IPC, and worker processes must see one shared store (memory is
 * per-process by design and is left out).
 */
const redis = redisServerBinary();
const memcached = memcachedBinary();
// leveldb and rocksdb are left out: one process holds the lock (test/backends/leveldb.test.ts, rocksdb.test.ts).
const SHARED = ['sqlite', 'sqlite-raw', 'filebased', 'redis', 'lmdb', 'memcached'].filter((name) => BACKENDS.has(name));
let root: string;
let savedUrl: string | undefined;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cachebench-backend-processes-'));
  savedUrl = process.env.REDIS_URL;
  delete process.env.REDIS_URL;
  delete process.env.MEMCACHED_SERVERS;
  delete process.env.MEMCACHED_URL;
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (savedUrl !== undefined) process.env.REDIS_URL = savedUrl;
});

interface Report {
  fromParent?: string;
  durability?: string;
  pid?: number;
  error?: string;
}

function runWorker(name: string, spec: unknown): Promise<Report> {
  const child = forkModule(new URL('./fixtures/backend-worker.ts', import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as Report));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before reporting`)));
    child.send({ name, spec });
  });
}

describe.each(SHARED)('%s across processes', (name) => {
  it.skipIf((name === 'redis' && !redis.available) || (name === 'memcached' && !memcached.available))(
    "two workers open the parent-provisioned store and see each other's writes",
    async () => {
      const factory = BACKENDS.get(name)!;
      const provisioned = await factory.provision({}, { directory: mkdtempSync(join(root, `${name}-`)) });
      try {
        const parent = factory.create(provisioned.spec, name);
        await parent.open();
        await parent.set('from-parent', 'hello workers');
        const reports = await Promise.all([runWorker(name, provisioned.spec), runWorker(name, provisioned.spec)]);
        for (const report of reports) {
          expect(report.error).toBeUndefined();
          expect(report.fromParent).toBe('hello workers');
          expect(await parent.get(`from-child-${report.pid}`)).toBe('child was here');
        }
        await parent.close();
      } finally {
        await provisioned.teardown();
      }
    },
  );
});
