import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leveldbFactory } from '../../backends/leveldb.js';
import { getOnly, run } from '../harness/helpers.js';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cachebench-leveldb-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('leveldb', () => {
  it('reports os-buffered writes by default and fsync-per-write with sync=yes', async () => {
    for (const [options, durability] of [
      [{}, 'os-buffered'],
      [{ sync: 'yes' }, 'fsync-per-write'],
    ] as const) {
      const provisioned = await leveldbFactory.provision(options, {
        directory: mkdtempSync(join(root, 'durability-')),
      });
      const backend = leveldbFactory.create(provisioned.spec, 'leveldb');
      await backend.open();
      await backend.set('k', 'v');
      const description = await backend.describe();
      expect(description.durability).toBe(durability);
      expect(description.version).toMatch(/^classic-level \d+\./);
      await backend.close();
      await provisioned.teardown();
    }
  });

  it('a second opener of the same database gets a message naming the one-process limit', async () => {
    const provisioned = await leveldbFactory.provision({}, { directory: mkdtempSync(join(root, 'lock-')) });
    const first = leveldbFactory.create(provisioned.spec, 'leveldb');
    await first.open();
    const second = leveldbFactory.create(provisioned.spec, 'leveldb');
    await expect(second.open()).rejects.toThrow(
      /locked by another process; LevelDB allows one process per database \(run it with --procs 1\)/,
    );
    await first.close();
    await provisioned.teardown();
  });

  it('refuses an expiring write and bad options', async () => {
    const directory = mkdtempSync(join(root, 'bad-'));
    await expect(leveldbFactory.provision({ sync: 'always' }, { directory })).rejects.toThrow(/sync="always"/);
    await expect(leveldbFactory.provision({ cache_size: 'lots' }, { directory })).rejects.toThrow(/cache_size="lots"/);
    const provisioned = await leveldbFactory.provision({}, { directory });
    const backend = leveldbFactory.create(provisioned.spec, 'leveldb');
    await backend.open();
    await expect(backend.set('k', 'v', 5)).rejects.toThrow(/no expire capability/);
    await backend.close();
    await provisioned.teardown();
  });

  it('through the harness: --procs 4 is reported unavailable with the fix, --procs 1 runs', async () => {
    const refused = await run('leveldb', getOnly(), { procs: 4, ops: 20 });
    expect(refused.backends[0]!.status).toBe('unavailable');
    expect(refused.backends[0]!.message).toMatch(
      /leveldb runs with at most 1 process \(LevelDB locks .*\); this run asks for 4; run it alone with --procs 1/,
    );

    const ran = await run('leveldb', getOnly(), { procs: 1, ops: 200 });
    expect(ran.backends[0]!.status).toBe('completed');
    expect(ran.backends[0]!.actions.get!.count).toBe(200);
    expect(ran.backends[0]!.description!.name).toBe('leveldb');
  });
});
