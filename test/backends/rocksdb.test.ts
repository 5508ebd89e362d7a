import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rocksdbFactory } from '../../backends/rocksdb.js';
import { getOnly, run } from '../harness/helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cachebench-rocksdb-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function opened(options: Record<string, string>) {
  const provisioned = await rocksdbFactory.provision(options, { directory: mkdtempSync(join(root, 'db-')) });
  const backend = rocksdbFactory.create(provisioned.spec, 'rocksdb');
  await backend.open();
  return { provisioned, backend };
}

describe('rocksdb', () => {
  it('describes os-buffered writes and what RocksDB recorded about its block cache and compression', async () => {
    const { provisioned, backend } = await opened({ write_buffer_size: '1MiB' });
    await backend.set('k', 'v');
    const description = await backend.describe();
    expect(description.durability).toBe('os-buffered');
    expect(description.callStyle).toBe('async');
    expect(description.version).toMatch(/^rocksdb-native 3\.\d+\.\d+$/);
    expect(description.settings).toMatchObject({ write_buffer_size: 2 ** 20, write_ahead_log: true, sync_per_write: false, manual_wal_flush: false });
    expect(description.settings.compression).toMatch(/^k\w+Compression$/);
    expect(description.settings.block_cache_bytes).toBeGreaterThan(0);
    await backend.close();
    await provisioned.teardown();

    const uncached = await opened({ block_cache: 'no' });
    expect((await uncached.backend.describe()).settings.block_cache_bytes).toBe(0);
    await uncached.backend.close();
    await uncached.provisioned.teardown();
  });

  it('clear removes every key, whatever its first character', async () => {
    const { provisioned, backend } = await opened({});
    const keys = ['a', '\u0001low', 'ÿ-latin', '日本', '🚀-astral'];
    for (const key of keys) await backend.set(key, key);
    await backend.clear();
    for (const key of keys) expect(await backend.get(key)).toBeUndefined();
    await backend.close();
    await provisioned.teardown();
  });

  it('a second opener of the same database gets a message naming the one-process limit', async () => {
    const { provisioned, backend } = await opened({});
    const second = rocksdbFactory.create(provisioned.spec, 'rocksdb');
    await expect(second.open()).rejects.toThrow(/locked by another process; RocksDB allows one writing process per database \(run it with --procs 1\)/);
    await backend.close();
    await provisioned.teardown();
  });

  it('refuses an expiring write and bad options', async () => {
    const directory = mkdtempSync(join(root, 'bad-'));
    await expect(rocksdbFactory.provision({ block_cache: 'big' }, { directory })).rejects.toThrow(/block_cache="big" must be one of yes, no/);
    await expect(rocksdbFactory.provision({ write_buffer_size: '1K' }, { directory })).rejects.toThrow(/write_buffer_size="1K" must be at least 64KiB/);
    await expect(rocksdbFactory.provision({ sync: 'yes' }, { directory })).rejects.toThrow(/unknown option "sync"/);
    const { provisioned, backend } = await opened({});
    await expect(backend.set('k', 'v', 5)).rejects.toThrow(/no expire capability/);
    await backend.close();
    await provisioned.teardown();
  });

  it('through the harness: --procs 2 is reported unavailable with the fix, --procs 1 runs', async () => {
    const refused = await run('rocksdb', getOnly(), { procs: 2, ops: 20 });
    expect(refused.backends[0]!.status).toBe('unavailable');
    expect(refused.backends[0]!.message).toMatch(/rocksdb runs with at most 1 process \(RocksDB locks .*\); this run asks for 2; run it alone with --procs 1/);

    const ran = await run('rocksdb', getOnly(), { procs: 1, ops: 200 });
    expect(ran.backends[0]!.status).toBe('completed');
    expect(ran.backends[0]!.actions.get!.count).toBe(200);
  });
});
