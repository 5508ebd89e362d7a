import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseBackendSelection } from '../../backends/spec.js';
import { sqliteFactory } from '../../backends/sqlite.js';
import { sqliteRawFactory } from '../../backends/sqlite-raw.js';
import { DEFAULT_SETTINGS } from '../../engine/index.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cachebench-sqlite-backends-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('sqlite backend options', () => {
  it('takes engine settings from --backend text in snake_case and short aliases', async () => {
    const selection = parseBackendSelection('sqlite:mmap_size=0,eviction_policy=none,size_limit=1MiB,synchronous=full');
    const provisioned = await sqliteFactory.provision(selection.options, { directory });
    const backend = sqliteFactory.create(JSON.parse(JSON.stringify(provisioned.spec)), selection.label);
    backend.open();
    const description = await backend.describe();
    expect(description.label).toBe('sqlite:mmap_size=0,eviction_policy=none,size_limit=1MiB,synchronous=full');
    expect(description.settings).toMatchObject({
      sqlite_mmap_size: 0,
      eviction_policy: 'none',
      size_limit: 2 ** 20,
      sqlite_synchronous: 'full',
    });
    expect(description.durability).toBe('fsync-per-write');
    await backend.close();
    await provisioned.teardown();
  });

  it('reports WAL + NORMAL (the defaults) as fsync at checkpoint', async () => {
    const provisioned = await sqliteFactory.provision({}, { directory });
    const backend = sqliteFactory.create(provisioned.spec, 'sqlite');
    backend.open();
    expect((await backend.describe()).durability).toBe('fsync-at-checkpoint');
    await backend.close();
  });

  it('names a bad option and a bad value', async () => {
    await expect(sqliteFactory.provision({ mmap_sise: '0' }, { directory })).rejects.toThrow(/mmap_sise/);
    await expect(sqliteFactory.provision({ eviction_policy: 'random' }, { directory })).rejects.toThrow(
      /eviction_policy="random"/,
    );
  });

  it('read streams a stored value', async () => {
    const provisioned = await sqliteFactory.provision({}, { directory });
    const backend = sqliteFactory.create(provisioned.spec, 'sqlite');
    backend.open();
    const bytes = Buffer.alloc(100_000, 7);
    await backend.set('file', bytes);
    const stream = (await backend.read!('file'))!;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(await backend.read!('absent')).toBeUndefined();
    await backend.close();
  });
});

describe('sqlite-raw backend', () => {
  it("opens with the engine's default pragmas", async () => {
    const provisioned = await sqliteRawFactory.provision({}, { directory });
    const backend = sqliteRawFactory.create(provisioned.spec, 'sqlite-raw');
    backend.open();
    const path = String(provisioned.spec.path);
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe(DEFAULT_SETTINGS.sqliteJournalMode);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(1); // FULL
    db.close();
    expect((await backend.describe()).settings).toMatchObject({
      journal_mode: DEFAULT_SETTINGS.sqliteJournalMode,
      synchronous: DEFAULT_SETTINGS.sqliteSynchronous,
      mmap_size: DEFAULT_SETTINGS.sqliteMmapSize,
      cache_size: DEFAULT_SETTINGS.sqliteCacheSize,
    });
    await backend.close();
    await provisioned.teardown();
  });

  it('accepts sizes with units and rejects a bad pragma value, naming it', async () => {
    const provisioned = await sqliteRawFactory.provision({ mmap_size: '1MiB', synchronous: 'FULL' }, { directory });
    expect(provisioned.spec).toMatchObject({ mmapSize: 2 ** 20, synchronous: 'full' });
    await expect(sqliteRawFactory.provision({ synchronous: 'sometimes' }, { directory })).rejects.toThrow(
      /synchronous="sometimes"/,
    );
    await expect(sqliteRawFactory.provision({ mmap: '0' }, { directory })).rejects.toThrow(/did you mean "mmap_size"/);
  });

  it('shares one table between two connections (two workers)', async () => {
    const provisioned = await sqliteRawFactory.provision({}, { directory });
    const a = sqliteRawFactory.create(provisioned.spec, 'sqlite-raw');
    const b = sqliteRawFactory.create(provisioned.spec, 'sqlite-raw');
    a.open();
    b.open();
    a.set('shared', 'from a');
    expect(b.get('shared')).toBe('from a');
    expect(b.incr!('n', 2)).toBe(2);
    expect(a.incr!('n', 3)).toBe(5);
    await a.close();
    await b.close();
  });
});
