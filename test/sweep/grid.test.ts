import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getBackendFactory } from '../../backends/registry.js';
import { SweepError } from '../../sweep/errors.js';
import { gridSize, mergeGrids, parseGridArgs, readGridFile } from '../../sweep/grid.js';
import { parseObjective } from '../../sweep/objective.js';

const sqlite = getBackendFactory('sqlite');
const dir = mkdtempSync(join(tmpdir(), 'cachebench-grid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gridError(tokens: string[], factory = sqlite): SweepError {
  try {
    parseGridArgs(tokens, factory);
  } catch (error) {
    expect(error).toBeInstanceOf(SweepError);
    return error as SweepError;
  }
  throw new Error(`grid ${tokens.join(' ')} was accepted`);
}

describe('parseGridArgs', () => {
  it('resolves every spelling of an engine setting with the engine parser and keeps the user text', () => {
    const grid = parseGridArgs(
      ['sqlite_journal_mode=wal,DELETE', 'mmap-size=0,64MiB', 'timeout=1ms,0.1', 'policy=none', 'procs=1,4'],
      sqlite,
    );
    expect(grid.map((a) => [a.name, a.kind, a.option])).toEqual([
      ['journal_mode', 'engine', 'sqliteJournalMode'],
      ['mmap_size', 'engine', 'sqliteMmapSize'],
      ['timeout', 'engine', 'timeout'],
      ['eviction_policy', 'engine', 'evictionPolicy'],
      ['procs', 'harness', undefined],
    ]);
    expect(grid[0]!.values).toEqual([
      { text: 'wal', value: 'wal' },
      { text: 'DELETE', value: 'delete' },
    ]);
    expect(grid[1]!.values.map((v) => v.value)).toEqual([0, 64 * 2 ** 20]);
    expect(grid[2]!.values.map((v) => v.value)).toEqual([0.001, 0.1]);
    expect(grid[4]!.values.map((v) => v.value)).toEqual([1, 4]);
    expect(gridSize(grid)).toBe(2 * 2 * 2 * 1 * 2);
  });

  it("takes the backend's own options as axes (filebased max_entries)", () => {
    const grid = parseGridArgs(['max_entries=100,1000'], getBackendFactory('filebased'));
    expect(grid[0]).toMatchObject({
      name: 'max_entries',
      kind: 'backend',
      values: [{ text: '100' }, { text: '1000' }],
    });
  });

  it.each([
    [['jurnal_mode=wal'], /^grid axis jurnal_mode: unknown setting; did you mean journal_mode\?/],
    [['nosuch=1'], /^grid axis nosuch: unknown setting/],
    [['mmap_size=0,64XB'], /^grid mmap_size=64XB: cannot read "64XB" as a byte size/],
    [['timeout=fast'], /^grid timeout=fast: cannot read "fast" as seconds/],
    [['journal_mode=wal,fast'], /^grid journal_mode=fast: string "fast" is not one of wal, delete/],
    [['page_size=1000'], /^grid page_size=1000: 1000 is not a power of two/],
    [['procs=0'], /^grid procs=0: expected a whole number ≥ 1/],
    [['shards=1,2'], /^grid axis shards: backend sqlite has no shards; shards is an option of the fanout backend/],
    [['mmap_size=0,0B'], /^grid mmap_size=0B: same value as 0/],
    [['mmap_size=0', 'sqlite_mmap_size=1'], /^grid axis sqlite_mmap_size is given twice/],
    [['journal_mode'], /^grid axis "journal_mode" is not name=value/],
    [['journal_mode=wal,'], /^grid axis journal_mode has an empty value/],
  ])('%j → one line naming the axis and the problem', (tokens, pattern) => {
    const error = gridError(tokens);
    expect(error.code).toBe('GRID');
    expect(error.message).toMatch(pattern);
    expect(error.message).not.toContain('\n');
  });

  it('refuses engine settings on a backend that does not take them', () => {
    expect(gridError(['journal_mode=wal'], getBackendFactory('memory')).message).toMatch(
      /backend memory does not take engine settings/,
    );
  });
});

describe('grid files', () => {
  it('reads axes with string and number values, and merges with --grid', async () => {
    const path = join(dir, 'grid.json');
    writeFileSync(path, JSON.stringify({ synchronous: ['off', 'normal'], cache_size: [100, 2000], procs: 2 }));
    const fromFile = await readGridFile(path, sqlite);
    expect(fromFile.map((a) => a.values.map((v) => v.value))).toEqual([['off', 'normal'], [100, 2000], [2]]);
    const merged = mergeGrids(parseGridArgs(['journal_mode=wal,delete'], sqlite), fromFile);
    expect(gridSize(merged)).toBe(8);
    expect(() => mergeGrids(fromFile, parseGridArgs(['sqlite_synchronous=full'], sqlite))).toThrow(
      /synchronous is given twice/,
    );
  });

  it('names the file and the bad value', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ mmap_size: ['64 parsecs'] }));
    await expect(readGridFile(bad, sqlite)).rejects.toThrow(
      /^grid file .*bad\.json: grid mmap_size=64 parsecs: cannot read/,
    );
    writeFileSync(bad, '{ not json');
    await expect(readGridFile(bad, sqlite)).rejects.toThrow(/bad\.json: not JSON/);
    await expect(readGridFile(join(dir, 'missing.json'), sqlite)).rejects.toThrow(/cannot read it \(ENOENT\)/);
  });
});

describe('parseObjective', () => {
  it('reads single statistics, throughput and weighted mixes', () => {
    expect(parseObjective('get.p99')).toMatchObject({
      text: 'get.p99',
      kind: 'latency',
      terms: [{ weight: 1, action: 'get' }],
    });
    expect(parseObjective('throughput')).toMatchObject({ kind: 'rate', terms: [{ action: null }] });
    const mix = parseObjective('0.7*get.p99 + 0.3*set.p99.9');
    expect(mix.text).toBe('0.7*get.p99+0.3*set.p99.9');
    expect(mix.terms.map((t) => [t.weight, t.action, t.statistic.name])).toEqual([
      [0.7, 'get', 'p99'],
      [0.3, 'set', 'p99.9'],
    ]);
  });

  it.each([
    ['get.p100', /unknown statistic "p100"/],
    ['p99', /name the action of p99/],
    ['get.p99+throughput', /mixes latencies/],
    ['0*get.p99', /weight 0 must be > 0/],
    ['get p99', /cannot read/],
  ])('%s is refused', (text, pattern) => {
    expect(() => parseObjective(text)).toThrow(pattern);
  });
});
