import { readFileSync, mkdtempSync, readdirSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileBasedBackend } from '../../backends/filebased.js';
import { MissingKeyError } from '../../backends/filebased/missing-key-error.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import { runBenchmark } from '../../harness/run-benchmark.js';
import { getScenario } from '../../scenarios/registry.js';

/**
 * The filebased backend against Django's own FileBasedCache: fixtures/django-filebased.json
 * is what Debian's Django 3.2 did, recorded by fixtures/django-filebased.py (rerun it there).
 */
interface DjangoFixture {
  django: string;
  keyFiles: Record<string, string>;
  incrMissing: { raises: string | null; message: string; filesAfter: number };
  expiredOnSet: Record<string, { filesAfterSet: number; get: unknown; filesAfterGet: number; addAfter: boolean }>;
  incrExisting: { incr: number; get: number };
  emptyFile: { get: unknown; raises: string | null; filesAfterGet: number };
  cutHeader: { raises: string | null; filesAfterGet: number };
}
const django = JSON.parse(
  readFileSync(new URL('./fixtures/django-filebased.json', import.meta.url), 'utf8'),
) as DjangoFixture;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cachebench-filebased-django-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function open(): FileBasedBackend {
  const backend = new FileBasedBackend(
    { directory: join(root, 'cache'), maxEntries: 300, cullFrequency: 3, timeout: 300, seed: 1 },
    'filebased',
  );
  backend.open();
  return backend;
}

const cacheFiles = () => readdirSync(join(root, 'cache')).filter((name) => name.endsWith('.djcache'));

describe(`filebased matches Django ${django.django}'s FileBasedCache`, () => {
  it('names each key\'s file as Django does: md5 of make_key\'s ":1:key", unicode keys included', () => {
    expect(Object.keys(django.keyFiles).length).toBeGreaterThanOrEqual(10);
    for (const [key, file] of Object.entries(django.keyFiles)) {
      const backend = open();
      backend.clear();
      backend.set(key, 'v');
      expect(cacheFiles(), `key ${JSON.stringify(key)}`).toEqual([file]);
      expect(backend.get(key)).toBe('v');
    }
  });

  it('incr of a missing key throws, as Django raises ValueError, and creates nothing', () => {
    expect(django.incrMissing.raises).toBe('ValueError');
    const backend = open();
    expect(() => backend.incr('missing', 1)).toThrow(MissingKeyError);
    expect(() => backend.incr('missing', 1)).toThrow(expect.objectContaining({ code: 'MISSING_KEY', key: 'missing' }));
    expect(cacheFiles()).toHaveLength(django.incrMissing.filesAfter);
  });

  it('incr of a stored number adds the delta', () => {
    const backend = open();
    backend.set('counter', '5');
    expect(backend.incr('counter', 2)).toBe(django.incrExisting.incr);
    expect(Number(backend.get('counter'))).toBe(django.incrExisting.get);
  });

  it.each(Object.keys(django.expiredOnSet))('an expiry of %s s stores an entry that is already expired', (seconds) => {
    const expected = django.expiredOnSet[seconds]!;
    const backend = open();
    expect(backend.set('soon', 'value', Number(seconds))).toBe(true);
    expect(cacheFiles()).toHaveLength(expected.filesAfterSet);
    expect(backend.get('soon') ?? null).toBe(expected.get);
    expect(cacheFiles()).toHaveLength(expected.filesAfterGet);
    expect(backend.add('soon', 'again', Number(seconds))).toBe(expected.addAfter);
  });

  it('reads an entry file left empty (by a power cut) as expired: a miss, and the file is removed', () => {
    expect(django.emptyFile).toEqual({ get: 'default', raises: null, filesAfterGet: 0 });
    const backend = open();
    backend.set('cut', 'value');
    truncateSync(join(root, 'cache', cacheFiles()[0]!), 0);
    expect(backend.get('cut')).toBeUndefined();
    expect(cacheFiles()).toHaveLength(django.emptyFile.filesAfterGet);
    expect(backend.add('cut', 'again')).toBe(true);
    expect(backend.get('cut')).toBe('again');
  });

  it("throws on an entry file cut inside its expiry header, as Django's truncated pickle raises, and keeps it", () => {
    expect(django.cutHeader.raises).toBe('UnpicklingError');
    const backend = open();
    backend.set('cut', 'value');
    truncateSync(join(root, 'cache', cacheFiles()[0]!), 3);
    expect(() => backend.get('cut')).toThrow(/shorter than its header/);
    expect(cacheFiles()).toHaveLength(django.cutHeader.filesAfterGet);
  });

  it('still refuses an expiry that is not a finite number, naming it', () => {
    const backend = open();
    expect(() => backend.set('k', 'v', Number.NaN)).toThrow(/expire must be a finite number of seconds/);
    expect(() => backend.add('k', 'v', Infinity)).toThrow(/expire must be a finite number of seconds/);
    expect(cacheFiles()).toHaveLength(0);
  });

  it('a run counts incr of a never-set key as an error of that operation, with the message (real worker)', async () => {
    // Counters that nobody set first: every incr fails on filebased, as it would through Django.
    const scenario = {
      ...getScenario('talk'),
      name: 'counters',
      capabilities: ['incr' as const],
      mix: { incr: 1 },
      preload: false,
    };
    const run = {
      procs: 1,
      ops: 40,
      durationSeconds: null,
      warmupOps: 0,
      rate: null,
      loadModel: 'closed' as const,
      seed: 2,
    };
    const results = await runBenchmark({ scenario, backends: parseBackendChoices('filebased'), run });
    const incr = results.backends[0]!.actions.incr!;
    expect(incr.errors).toBe(40);
    expect(incr.count).toBe(0);
    expect(incr.errorMessages.join('; ')).toMatch(/incr of missing key/);
  }, 60_000);
});
