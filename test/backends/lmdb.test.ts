import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../backends/backend.js';
import { lmdbFactory } from '../../backends/lmdb.js';
import { forkModule } from '../../harness/fork-module.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cachebench-lmdb-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function opened(options: Record<string, string>): Promise<{ backend: Backend; teardown: () => Promise<void> }> {
  const provisioned = await lmdbFactory.provision(options, { directory: mkdtempSync(join(root, 'env-')) });
  const backend = lmdbFactory.create(JSON.parse(JSON.stringify(provisioned.spec)), 'lmdb');
  await backend.open();
  return {
    backend,
    teardown: async () => {
      await backend.close();
      await provisioned.teardown();
    },
  };
}

describe('lmdb options', () => {
  it('is durable by default: every putSync commit fsyncs', async () => {
    const { backend, teardown } = await opened({});
    const description = await backend.describe();
    expect(description.durability).toBe('fsync-per-write');
    expect(description.settings.no_sync).toBe(false);
    expect(description.settings.map_size).toBe(2 ** 30);
    expect(description.version).toMatch(/^lmdb-js \d+\.\d+/);
    await teardown();
  });

  it('no_sync=yes reports os-buffered durability, and map_size takes units', async () => {
    const { backend, teardown } = await opened({ no_sync: 'yes', map_size: '64MiB' });
    const description = await backend.describe();
    expect(description.durability).toBe('os-buffered');
    expect(description.settings.map_size).toBe(64 * 2 ** 20);
    await teardown();
  });

  it('rejects bad option values, naming the option', async () => {
    const directory = mkdtempSync(join(root, 'bad-'));
    await expect(lmdbFactory.provision({ no_sync: 'maybe' }, { directory })).rejects.toThrow(
      /no_sync="maybe".*yes, no/,
    );
    await expect(lmdbFactory.provision({ map_size: 'big' }, { directory })).rejects.toThrow(/map_size="big"/);
    await expect(lmdbFactory.provision({ nosync: 'yes' }, { directory })).rejects.toThrow(/did you mean "no_sync"/);
  });

  it('refuses an expiring write instead of keeping it forever', async () => {
    const { backend, teardown } = await opened({ no_sync: 'yes' });
    expect(backend.capabilities.has('expire')).toBe(false);
    expect(() => backend.set('k', 'v', 10)).toThrow(/no expire capability/);
    expect(backend.get('k')).toBeUndefined();
    await teardown();
  });

  it('keeps values written before a close across a reopen of the same file', async () => {
    const provisioned = await lmdbFactory.provision({}, { directory: mkdtempSync(join(root, 'reopen-')) });
    const first = lmdbFactory.create(provisioned.spec, 'lmdb');
    await first.open();
    first.set('kept', Uint8Array.of(7, 7));
    await first.close();
    const second = lmdbFactory.create(provisioned.spec, 'lmdb');
    await second.open();
    expect(Buffer.from(second.get('kept') as Uint8Array)).toEqual(Buffer.from([7, 7]));
    await second.close();
    await provisioned.teardown();
  });
});

describe('lmdb across processes', () => {
  function increment(spec: unknown, key: string, times: number): Promise<{ done?: number; error?: string }> {
    const child = forkModule(new URL('./fixtures/incr-worker.ts', import.meta.url), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('message', (m) => resolve(m as { done?: number; error?: string }));
      child.once('exit', (code) => reject(new Error(`worker exited with ${code} before reporting`)));
      child.send({ name: 'lmdb', spec, key, times });
    });
  }

  it('incr from three processes at once loses no increment (one write transaction each)', async () => {
    const provisioned = await lmdbFactory.provision(
      { no_sync: 'yes' },
      { directory: mkdtempSync(join(root, 'procs-')) },
    );
    try {
      const reports = await Promise.all([0, 1, 2].map(() => increment(provisioned.spec, 'shared-counter', 300)));
      for (const report of reports) expect(report.error).toBeUndefined();
      const backend = lmdbFactory.create(provisioned.spec, 'lmdb');
      await backend.open();
      expect(backend.get('shared-counter')).toBe('900');
      await backend.close();
    } finally {
      await provisioned.teardown();
    }
  });
});
