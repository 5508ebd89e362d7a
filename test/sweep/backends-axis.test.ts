import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveSweep } from '../../sweep/resolve-sweep.js';
import { runSweep } from '../../sweep/run-sweep.js';
import { backendLinesData, backendLinesSpec } from '../../sweep/specs/backends-spec.js';
import { writeSweepOutputs } from '../../sweep/write-outputs.js';

const dir = mkdtempSync(join(tmpdir(), 'cachebench-sweep-backends-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sweep over several backends (--backends)', () => {
  it('makes the backend a context axis; engine settings apply only to the backends that take them', async () => {
    const { plan } = await resolveSweep('read-write-ratio', {
      backends: 'memory,sqlite',
      grid: ['ratio=1,10', 'synchronous=normal,full'],
      repeat: 1,
      procs: 1,
      ops: 10,
    });
    expect(plan.grid.find((a) => a.name === 'synchronous')?.backends).toEqual(['sqlite']);
    expect(plan.combinations.map((c) => c.label)).toEqual([
      'backend=memory ratio=1',
      'backend=memory ratio=10',
      'backend=sqlite ratio=1 synchronous=normal',
      'backend=sqlite ratio=1 synchronous=full',
      'backend=sqlite ratio=10 synchronous=normal',
      'backend=sqlite ratio=10 synchronous=full',
    ]);
    expect(plan.combinations.map((c) => c.backend)).toEqual([
      'memory',
      'memory',
      'sqlite:synchronous=normal',
      'sqlite:synchronous=full',
      'sqlite:synchronous=normal',
      'sqlite:synchronous=full',
    ]);
    expect(new Set(plan.combinations.map((c) => c.context))).toEqual(
      new Set([
        'backend=memory ratio=1',
        'backend=memory ratio=10',
        'backend=sqlite ratio=1',
        'backend=sqlite ratio=10',
      ]),
    );
    // One backend alone keeps its plan (and fingerprint) as before.
    const alone = await resolveSweep('read-write-ratio', {
      backend: 'sqlite',
      grid: ['ratio=1,10', 'synchronous=normal,full'],
      repeat: 1,
      procs: 1,
      ops: 10,
    });
    expect(alone.plan.combinations[0]!.label).toBe('ratio=1 synchronous=normal');
    expect(alone.plan.fingerprint).not.toBe(plan.fingerprint);
  });

  it('refuses an axis no backend takes, naming each backend, and a backend named twice', async () => {
    await expect(
      resolveSweep('talk', { backends: 'memory,filebased', grid: ['synchronous=normal,full'] }),
    ).rejects.toThrow(
      /grid axis synchronous: none of the backends memory, filebased takes it \(memory: .*; filebased: /,
    );
    await expect(resolveSweep('talk', { backends: 'sqlite,sqlite', grid: ['ratio=1,10'] })).rejects.toThrow(
      /names sqlite twice/,
    );
    await expect(resolveSweep('talk', { backends: 'sqlite,nosuch', grid: ['ratio=1,10'] })).rejects.toThrow(
      /unknown backend "nosuch"/,
    );
  });

  it('runs each backend, recommends per backend, and reports an unavailable backend without failing', async () => {
    // leveldb allows one process; at procs=2 it is unavailable here: tried once, reported, the rest skipped.
    const { plan, objective } = await resolveSweep('read-write-ratio', {
      backends: 'memory,sqlite,leveldb',
      grid: ['ratio=1,10', 'synchronous=normal,full'],
      repeat: 1,
      procs: 2,
      ops: 30,
      warmup: 0,
    });
    const out = join(dir, 'three');
    const outcome = await runSweep({ plan, outDir: out });
    expect(outcome.skipped).toBe(1); // leveldb's second ratio
    const { summary } = await writeSweepOutputs(plan, outcome.results, objective, out, { png: false });
    expect(summary.unavailable.map((u) => [u.backend, u.procs])).toEqual([['leveldb', 2]]);
    expect(
      summary.combinations
        .filter((c) => c.backendName === 'leveldb')
        .every((c) => c.unavailable !== null && c.problems.length === 0),
    ).toBe(true);
    const contexts = summary.recommendations.map((r) => r.context);
    expect(contexts).toEqual(
      expect.arrayContaining([
        'backend=memory ratio=1',
        'backend=memory ratio=10',
        'backend=sqlite ratio=1',
        'backend=sqlite ratio=10',
      ]),
    );
    expect(contexts.some((c) => c.includes('leveldb'))).toBe(false);
    const memory = summary.recommendations.find((r) => r.context === 'backend=memory ratio=1')!;
    expect(memory.verdict).toMatch(/only one configuration .*nothing to recommend/);
    const sqlite = summary.recommendations.find((r) => r.context === 'backend=sqlite ratio=10')!;
    expect(summary.combinations.find((c) => c.index === sqlite.reference!.index)!.backendName).toBe('sqlite');
    // The line plot: get and set p99 of each backend's defaults at each ratio.
    const lines = backendLinesData(summary, 'ratio');
    expect(new Set(lines.map((d) => `${d.backend} ${d.x} ${d.measure}`))).toEqual(
      new Set(
        ['memory', 'sqlite'].flatMap((b) => ['1', '10'].flatMap((x) => [`${b} ${x} get p99`, `${b} ${x} set p99`])),
      ),
    );
    expect(backendLinesSpec(summary)?.axis).toBe('ratio');
  }, 60_000);
});
