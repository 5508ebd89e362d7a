import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RocksdbBackend, rocksdbFactory } from '../../backends/rocksdb.js';
import { getOnly, run } from '../harness/helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cachebench-rocksdb-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function opened(options: Record<string, string>) {
  const provisioned = await rocksdbFactory.provision(options, { directory: mkdtempSync(join(root, 'db-')) });
  const backend = rocksdbFactory.create(provisioned.spec, 'rocksdb') as RocksdbBackend;
  await backend.open();
  const done = async () => {
    await backend.close();
    await provisioned.teardown();
  };
  return { provisioned, backend, done };
}

describe('rocksdb', () => {
  it('by default: WAL on without sync (os-buffered), no compression, a 32 MiB block cache — as RocksDB recorded them', async () => {
    const { backend, done } = await opened({});
    const description = await backend.describe();
    expect(description.durability).toBe('os-buffered');
    expect(description.callStyle).toBe('async');
    expect(description.version).toMatch(/^@nxtedition\/rocksdb 12\.\d+\.\d+$/);
    expect(description.settings).toMatchObject({
      write_ahead_log: true,
      sync_per_write: false,
      recorded_compression: 'kNoCompression',
      recorded_wal_compression: 'kNoCompression',
      recorded_block_cache_bytes: 32 * 2 ** 20,
      manual_wal_flush: false,
    });
    await done();
  });

  it('compression, wal_compression and block_cache reach RocksDB (its OPTIONS file and LOG say so)', async () => {
    const zstd = await opened({ compression: 'zstd', wal_compression: 'zstd', block_cache: '8MiB' });
    expect((await zstd.backend.describe()).settings).toMatchObject({
      recorded_compression: 'kZSTD',
      recorded_wal_compression: 'kZSTD',
      recorded_block_cache_bytes: 8 * 2 ** 20,
    });
    await zstd.done();

    const uncached = await opened({ block_cache: '0' });
    expect((await uncached.backend.describe()).settings.recorded_block_cache_bytes).toBe(0);
    await uncached.done();
  });

  it('sync=yes makes RocksDB sync its log on every write (fsync-per-write); sync=no never does', async () => {
    const writeSome = async (backend: RocksdbBackend) => {
      for (let i = 0; i < 20; i++) await backend.set(`k${i}`, 'v');
      await backend.setMany([
        ['a', 'x'],
        ['b', 'y'],
      ]);
      await backend.delete('k0');
      await backend.deleteMany(['k1', 'k2', 'missing']);
    };
    const synced = await opened({ sync: 'yes' });
    expect((await synced.backend.describe()).durability).toBe('fsync-per-write');
    await writeSome(synced.backend);
    // 20 sets, one batch of two, one delete, one batch of two deletes: 23 log writes, each synced.
    expect(synced.backend.walCounters()).toEqual({ writes: 23, syncs: 23 });
    await synced.done();

    const buffered = await opened({ sync: 'no' });
    await writeSome(buffered.backend);
    expect(buffered.backend.walCounters()).toEqual({ writes: 23, syncs: 0 });
    await buffered.done();
  });

  it('keeps text and bytes apart; delete says whether the key existed', async () => {
    const { backend, done } = await opened({});
    await backend.set('t', 'text');
    await backend.set('b', new Uint8Array([1, 2, 3]));
    expect(await backend.get('t')).toBe('text');
    const bytes = await backend.get('b');
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...(bytes as Uint8Array)]).toEqual([1, 2, 3]);
    expect(await backend.get('none')).toBeUndefined();
    expect(await backend.delete('t')).toBe(true);
    expect(await backend.delete('t')).toBe(false);
    const [gone, kept] = await backend.getMany(['t', 'b']);
    expect(gone).toBeUndefined();
    expect([...(kept as Uint8Array)]).toEqual([1, 2, 3]);
    await done();
  });

  it('clear removes every key, whatever its first character', async () => {
    const { backend, done } = await opened({});
    const keys = ['a', '\u0001low', 'ÿ-latin', '日本', '🚀-astral'];
    for (const key of keys) await backend.set(key, key);
    await backend.clear();
    for (const key of keys) expect(await backend.get(key)).toBeUndefined();
    await done();
  });

  it('a second opener of the same database gets a message naming the one-process limit', async () => {
    const { provisioned, backend, done } = await opened({});
    const second = rocksdbFactory.create(provisioned.spec, 'rocksdb');
    await expect(second.open()).rejects.toThrow(
      /locked by another process; RocksDB allows one writing process per database \(run it with --procs 1\)/,
    );
    expect(await backend.get('still-open')).toBeUndefined();
    await done();
  });

  it('refuses bad options, wal=off with the reason, and an expiring write', async () => {
    const directory = mkdtempSync(join(root, 'bad-'));
    const provision = (options: Record<string, string>) => rocksdbFactory.provision(options, { directory });
    await expect(provision({ sync: 'always' })).rejects.toThrow(/sync="always" must be one of yes, no/);
    await expect(provision({ compression: 'snappy' })).rejects.toThrow(
      /compression="snappy" must be one of none, zstd/,
    );
    await expect(provision({ block_cache: 'big' })).rejects.toThrow(/block_cache="big" must be a size/);
    await expect(provision({ block_cache: '4GiB' })).rejects.toThrow(/block_cache="4GiB" must be below 4GiB/);
    await expect(provision({ wal: 'off' })).rejects.toThrow(
      /wal="off" cannot be honoured: @nxtedition\/rocksdb passes no disableWAL write option/,
    );
    await expect(provision({ write_buffer_size: '1MiB' })).rejects.toThrow(/unknown option "write_buffer_size"/);
    const { backend, done } = await opened({ wal: 'on' });
    await expect(backend.set('k', 'v', 5)).rejects.toThrow(/no expire capability/);
    await done();
  });

  it('through the harness: --procs 2 is reported unavailable with the fix, --procs 1 runs', async () => {
    const refused = await run('rocksdb', getOnly(), { procs: 2, ops: 20 });
    expect(refused.backends[0]!.status).toBe('unavailable');
    expect(refused.backends[0]!.message).toMatch(
      /rocksdb runs with at most 1 process \(RocksDB locks .*\); this run asks for 2; run it alone with --procs 1/,
    );

    const ran = await run('rocksdb', getOnly(), { procs: 1, ops: 200 });
    expect(ran.backends[0]!.status).toBe('completed');
    expect(ran.backends[0]!.actions.get!.count).toBe(200);
  });
});
