import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendTimeoutError } from '../../backends/backend.js';
import { fanoutFactory } from '../../backends/fanout.js';
import { parseBackendSelection } from '../../backends/spec.js';
import { Cache, FanoutCache } from '../../engine/index.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cachebench-fanout-backend-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('fanout backend', () => {
  it('takes shards, timeout and engine settings from the spec text and reports them', async () => {
    const selection = parseBackendSelection('fanout:shards=3,timeout=25ms,mmap_size=0,size_limit=3MiB');
    const provisioned = await fanoutFactory.provision(selection.options, { directory });
    const backend = fanoutFactory.create(JSON.parse(JSON.stringify(provisioned.spec)), selection.label);
    backend.open();
    const description = await backend.describe();
    expect(description.settings).toMatchObject({
      shards: 3,
      timeout: 0.025,
      sqlite_mmap_size: 0,
      size_limit: 3 * 2 ** 20,
    });
    expect(description.durability).toBe('fsync-at-checkpoint');
    await backend.close();
  });

  it('rejects a bad shard count or setting, naming it', async () => {
    await expect(fanoutFactory.provision({ shards: '0' }, { directory })).rejects.toThrow(/shards/);
    await expect(fanoutFactory.provision({ shards: 'many' }, { directory })).rejects.toThrow(/shards/);
    await expect(fanoutFactory.provision({ timeout: '5 bytes' }, { directory })).rejects.toThrow(/timeout/);
  });

  it('a shard locked past the timeout reaches the harness as BackendTimeoutError, not a miss', async () => {
    const provisioned = await fanoutFactory.provision({ shards: '2', timeout: '10ms' }, { directory });
    const backend = fanoutFactory.create(provisioned.spec, 'fanout');
    backend.open();
    backend.set('k', 'v');
    // Find the shard of 'k' the way the engine does, and hold its write lock from another connection.
    const probe = new FanoutCache(String(provisioned.spec.directory));
    const shard = new Cache(join(String(provisioned.spec.directory), String(probe.shardIndex('k')).padStart(3, '0')));
    probe.close();
    shard.transact(() => {
      expect(() => backend.set('k', 'w')).toThrow(BackendTimeoutError);
      expect(() => backend.delete('k')).toThrow(BackendTimeoutError);
    });
    shard.close();
    expect(backend.get('k')).toBe('v');
    expect(backend.set('k', 'w')).toBe(true);
    await backend.close();
  });
});
