import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileBasedBackend, filebasedFactory } from '../../backends/filebased.js';

/** The Django design's pathology, shown by counting work, never by timing it. */
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cachebench-filebased-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function open(
  options: Partial<ConstructorParameters<typeof FileBasedBackend>[0]> = {},
  now?: () => number,
): FileBasedBackend {
  const backend = new FileBasedBackend(
    { directory: join(root, 'cache'), maxEntries: 300, cullFrequency: 3, timeout: 300, seed: 1, ...options },
    'filebased',
    now,
  );
  backend.open();
  return backend;
}

const cacheFiles = () => readdirSync(join(root, 'cache')).filter((name) => name.endsWith('.djcache'));

describe('filebased set cost', () => {
  it('lists the whole directory on every set, so the work per set grows with the number of files', () => {
    const backend = open({ maxEntries: 100_000 });
    const examinedBySet: number[] = [];
    for (let i = 0; i < 400; i++) {
      const before = backend.stats.entriesExamined;
      backend.set(`key-${i}`, 'v');
      examinedBySet.push(backend.stats.entriesExamined - before);
    }
    expect(backend.stats.listings).toBe(400);
    // The i-th set examines the i files already there: linear, not constant.
    expect(examinedBySet.slice(0, 3)).toEqual([0, 1, 2]);
    expect(examinedBySet[399]).toBe(399);
    expect(examinedBySet[399]! / examinedBySet[40]!).toBeGreaterThan(9);
  });

  it('a get does not list the directory', () => {
    const backend = open();
    backend.set('a', 'v');
    const listings = backend.stats.listings;
    for (let i = 0; i < 10; i++) backend.get('a');
    expect(backend.stats.listings).toBe(listings);
  });
});

describe('filebased culling', () => {
  it('deletes 1/cull_frequency of the files when max_entries is reached, then writes', () => {
    const backend = open({ maxEntries: 300, cullFrequency: 3, seed: 7 });
    for (let i = 0; i < 300; i++) backend.set(`key-${i}`, 'v');
    expect(cacheFiles()).toHaveLength(300);
    expect(backend.stats.culled).toBe(0);
    backend.set('one-more', 'v');
    expect(backend.stats.culled).toBe(100);
    expect(cacheFiles()).toHaveLength(201);
    expect(backend.get('one-more')).toBe('v');
  });

  it.each([2, 4, 10])('cull_frequency=%i removes about 1/%i of the entries', (frequency) => {
    const backend = open({ maxEntries: 200, cullFrequency: frequency, seed: 3 });
    for (let i = 0; i <= 200; i++) backend.set(`key-${i}`, 'v');
    expect(backend.stats.culled).toBe(Math.trunc(200 / frequency));
    let present = 0;
    for (let i = 0; i < 200; i++) if (backend.get(`key-${i}`) !== undefined) present++;
    expect(present).toBe(200 - Math.trunc(200 / frequency));
  });

  it('picks victims at random but reproducibly: same seed, same victims; another seed, others', () => {
    const survivors = (seed: number, dir: string) => {
      const backend = new FileBasedBackend(
        { directory: join(root, dir), maxEntries: 60, cullFrequency: 3, timeout: null, seed },
        'filebased',
      );
      backend.open();
      for (let i = 0; i <= 60; i++) backend.set(`key-${i}`, 'v');
      return Array.from({ length: 60 }, (_, i) => i).filter((i) => backend.get(`key-${i}`) !== undefined);
    };
    const a = survivors(11, 'a');
    expect(survivors(11, 'b')).toEqual(a);
    expect(survivors(12, 'c')).not.toEqual(a);
    // Random, not oldest-first: some early keys survive and some late ones go.
    expect(a.some((i) => i < 20)).toBe(true);
    expect(a.length).toBe(40);
    expect(a.some((i) => i >= 40)).toBe(true);
    expect(Array.from({ length: 20 }, (_, i) => i + 40).every((i) => a.includes(i))).toBe(false);
  });

  it('cull_frequency=0 empties the cache when it is full', () => {
    const backend = open({ maxEntries: 50, cullFrequency: 0 });
    for (let i = 0; i < 50; i++) backend.set(`key-${i}`, 'v');
    backend.set('last', 'v');
    expect(cacheFiles()).toHaveLength(1);
    expect(backend.get('last')).toBe('v');
  });
});

describe('filebased files and expiry', () => {
  it("applies Django's default timeout of 300 s to a set without an expiry, and deletes the expired file on get", () => {
    let now = 1_000;
    const backend = open({}, () => now);
    backend.set('k', 'v');
    now = 1_299;
    expect(backend.get('k')).toBe('v');
    now = 1_301;
    expect(backend.get('k')).toBeUndefined();
    expect(cacheFiles()).toHaveLength(0);
  });

  it('timeout=none keeps entries without an expiry forever', () => {
    let now = 1_000;
    const backend = open({ timeout: null }, () => now);
    backend.set('k', 'v');
    now = 10 ** 9;
    expect(backend.get('k')).toBe('v');
  });

  it('leaves no temp files behind and recreates a deleted directory on set', () => {
    const backend = open();
    for (let i = 0; i < 20; i++) backend.set(`k${i}`, 'v');
    expect(readdirSync(join(root, 'cache')).filter((n) => !n.endsWith('.djcache'))).toEqual([]);
    rmSync(join(root, 'cache'), { recursive: true });
    expect(backend.get('k1')).toBeUndefined();
    backend.set('k1', 'again');
    expect(backend.get('k1')).toBe('again');
  });

  it('validates its options, naming the bad one', async () => {
    await expect(filebasedFactory.provision({ max_entries: 'lots' }, { directory: root })).rejects.toThrow(
      /max_entries="lots"/,
    );
    await expect(filebasedFactory.provision({ cull_freq: '3' }, { directory: root })).rejects.toThrow(
      /did you mean "cull_frequency"/,
    );
    await expect(filebasedFactory.provision({ timeout: '-1' }, { directory: root })).rejects.toThrow(/timeout/);
    const ok = await filebasedFactory.provision(
      { max_entries: '1000', timeout: 'none', seed: '5' },
      { directory: root },
    );
    expect(ok.spec).toMatchObject({ maxEntries: 1000, timeout: null, seed: 5, cullFrequency: 3 });
    await ok.teardown();
    await ok.teardown();
  });
});
