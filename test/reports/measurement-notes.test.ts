import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HostNoise, ResultsFile } from '../../results/results.js';
import { generateReport, HAND_OFF_EXPLANATION, notesForFiles, renderNotes } from '../../reports/index.js';
import { constant, logUniform, makeResults, talkResults } from './fixtures/make-results.js';

function noise(othersPerInterval: number[], threshold = 0.25): HostNoise {
  const samples = othersPerInterval.map((o, i) => ({
    start: i,
    seconds: 1,
    othersCores: o,
    runCores: 1,
    stealCores: 0,
  }));
  return {
    thresholdCores: threshold,
    samples,
    noisyIntervals: samples.flatMap((s, i) => (s.othersCores > threshold ? [i] : [])),
    maxOthersCores: Math.max(...othersPerInterval),
    meanOthersCores: othersPerInterval.reduce((a, b) => a + b, 0) / othersPerInterval.length,
    tracked: [{ role: 'parent', pid: 1 }],
  };
}

function pinnedRedis(sameNs: number, separateNs: number): ResultsFile {
  const file = makeResults({
    backends: [
      {
        label: 'redis @same-cpu',
        name: 'redis',
        callStyle: 'async',
        durability: 'never',
        actions: { get: { count: 100, distribution: constant(sameNs) } },
      },
      {
        label: 'redis @separate-cpus',
        name: 'redis',
        callStyle: 'async',
        durability: 'never',
        actions: { get: { count: 100, distribution: constant(separateNs) } },
      },
    ],
  });
  file.backends[0]!.placement = {
    mode: 'same',
    method: 'taskset',
    requested: { workers: ['0'], server: '0' },
    applied: { workers: ['0'], server: '0' },
  };
  file.backends[1]!.placement = {
    mode: 'separate',
    method: 'taskset',
    requested: { workers: ['1'], server: '0' },
    applied: { workers: ['1'], server: '0' },
  };
  return file;
}

describe('host noise not judged', () => {
  const sampled = (seconds: readonly number[], wallSeconds: number): string => {
    const file = makeResults({
      backends: [{ label: 'sqlite', actions: { get: { count: 100, distribution: constant(1_000) } } }],
    });
    const samples = seconds.map((s, i) => ({ start: i * s, seconds: s, othersCores: 0, runCores: 1, stealCores: 0 }));
    file.backends[0]!.hostNoise = {
      thresholdCores: 0.25,
      samples,
      noisyIntervals: [],
      maxOthersCores: 0,
      meanOthersCores: 0,
      tracked: [{ role: 'parent', pid: 1 }],
    };
    file.backends[0]!.wallSeconds = wallSeconds;
    return renderNotes(notesForFiles([file]), 'text');
  };

  it('blames short intervals, not the run, when a 1.43 s run was sampled every 0.1 s', () => {
    const text = sampled(Array(14).fill(0.1), 1.43);
    expect(text).toContain(
      'host noise not judged for sqlite (1.40 s sampled in intervals of 0.10 s; use --interval 200 or longer)',
    );
    expect(text).not.toContain('shorter than 0.2 s,');
  });

  it('says how long the measured part was when warm-up took most of the run', () => {
    expect(sampled([0.12], 1.43)).toContain(
      'host noise not judged for sqlite (measured for 0.12 s of a 1.43 s run with start-up and warm-up; use more --ops or --duration)',
    );
    expect(sampled([0.12], 0.13)).toContain(
      'host noise not judged for sqlite (measured for 0.12 s; use more --ops or --duration)',
    );
  });
});

describe('measurement notes', () => {
  it('name the noisy intervals plainly, and the rerun that was kept', () => {
    const file = talkResults(1);
    file.backends[1]!.hostNoise = {
      ...noise([0.1, 0.9, 0.05, 0.6]),
      attempts: [
        { maxOthersCores: 1.2, meanOthersCores: 0.8, noisyIntervals: 4 },
        { maxOthersCores: 0.9, meanOthersCores: 0.4, noisyIntervals: 2 },
      ],
      keptAttempt: 1,
    };
    file.backends[0]!.hostNoise = noise([0.1, 0.2, 0.1]);
    const text = renderNotes(notesForFiles([file]), 'text');
    expect(text).toContain(
      'WARNING: sqlite: other processes used more than 0.25 cores in 2 of 4 intervals: 1–2 s (0.90 cores), 3–4 s (0.60 cores)',
    );
    expect(text).toContain('sqlite: ran 2 times because the host was noisy; these figures are attempt 2, the quietest');
    expect(text).toMatch(/host quiet .*memory \(others ≤ 0\.20 cores\)/);
    // Warnings come before information.
    expect(text.indexOf('WARNING')).toBeLessThan(text.indexOf('host quiet'));
  });

  it('give a durability legend and warn when durabilities are mixed, not when they are alike', () => {
    const mixed = renderNotes(notesForFiles([talkResults(1)]), 'text');
    expect(mixed).toContain('fsync on every write — filebased');
    expect(mixed).toContain('fsync at checkpoint — sqlite');
    expect(mixed).toMatch(/WARNING: this report mixes durabilities/);
    const alike = renderNotes(notesForFiles([pinnedRedis(20_000, 45_000)]), 'text');
    expect(alike).toContain('never (memory only) — redis @same-cpu, redis @separate-cpus');
    expect(alike).not.toContain('mixes durabilities');
  });

  it('show both placements side by side with the hand-off explanation', () => {
    const text = renderNotes(notesForFiles([pinnedRedis(20_000, 45_000)]), 'text');
    expect(text).toContain('redis get: median 20.0 µs on the same CPU vs 45.0 µs on separate CPUs (×2.25)');
    expect(text).toContain(
      'redis @separate-cpus: pinned client and server on separate CPUs — workers on CPU 1, server on CPU 0',
    );
    expect(text).toContain(HAND_OFF_EXPLANATION);
  });

  it('name explicit CPU lists as given, not as a same/separate placement', () => {
    const file = pinnedRedis(20_000, 45_000);
    file.backends[0]!.placement = {
      mode: 'explicit',
      method: 'taskset',
      requested: { workers: ['0,1'], server: '1' },
      applied: { workers: ['0-1'], server: '1' },
    };
    const text = renderNotes(notesForFiles([file]), 'text');
    expect(text).toContain('redis @same-cpu: pinned on the CPUs given — workers on CPU 0-1, server on CPU 1');
    expect(text).not.toMatch(/redis @same-cpu: pinned client and server on (the same|separate)/);
  });

  it('show call styles and the measured sync/async floor', () => {
    const file = pinnedRedis(20_000, 45_000);
    const floors = makeResults({
      backends: [
        {
          label: 'f',
          actions: {
            sync: { count: 50, distribution: constant(50) },
            async: { count: 50, distribution: constant(120) },
          },
        },
      ],
    }).backends[0]!.actions;
    file.callFloors = {
      method: 'test',
      sync: { style: 'sync', count: 50, percentiles: floors.sync!.percentiles, histogram: floors.sync!.histogram },
      async: { style: 'async', count: 50, percentiles: floors.async!.percentiles, histogram: floors.async!.histogram },
    };
    const text = renderNotes(notesForFiles([file]), 'text');
    expect(text).toContain('Call style: async — redis @same-cpu, redis @separate-cpus');
    expect(text).toContain(
      'a Map behind a sync call median 50 ns, p99 50 ns; behind an awaited Promise median 120 ns, p99 120 ns',
    );
  });

  it("say when an external server's CPU counted as host noise", () => {
    const file = makeResults({
      backends: [{ label: 'redis', actions: { get: { count: 100, distribution: logUniform(1_000, 9_000) } } }],
    });
    file.backends[0]!.hostNoise = {
      ...noise([0.1, 0.1]),
      untrackedServer:
        'redis at redis://10.0.0.5:6379 (pid unknown; pass redis:server_pid=N if it runs on this machine)',
    };
    expect(renderNotes(notesForFiles([file]), 'text')).toContain(
      'redis: the CPU of redis at redis://10.0.0.5:6379 (pid unknown; pass redis:server_pid=N if it runs on this machine) is not tracked, so on this machine it counts as host noise',
    );
  });

  it('warn about a network filesystem, and put every note in the page, the Markdown and notes.txt', async () => {
    const file = makeResults({
      backends: [
        {
          label: 'sqlite',
          durability: 'fsync-at-checkpoint',
          actions: { get: { count: 100, distribution: logUniform(1_000, 9_000) } },
        },
      ],
    });
    file.backends[0]!.storage = {
      path: '/mnt/cache/x',
      mountPoint: '/mnt/cache',
      type: 'nfs4',
      device: 'srv:/export',
      network: true,
      warning: '/mnt/cache/x is on nfs4 (a network filesystem): SQLite locking is unreliable there',
    };
    file.backends[0]!.hostNoise = noise([0.1, 0.7]);
    const dir = await mkdtemp(join(tmpdir(), 'cachebench-notes-'));
    try {
      const out = await generateReport([file], dir, { png: false });
      expect(
        out.notes
          .filter((n) => n.level === 'warning')
          .map((n) => n.topic)
          .sort(),
      ).toEqual(['filesystem', 'noise']);
      const html = await readFile(out.html, 'utf8');
      expect(html).toMatch(/<h2>Measurement notes<\/h2>[\s\S]*class="warning">Warning: \/mnt\/cache\/x is on nfs4/);
      expect(html).toContain('1–2 s (0.70 cores)');
      expect(await readFile(out.markdown, 'utf8')).toContain(
        '- **Warning:** sqlite: other processes used more than 0.25 cores in 1 of 2 intervals',
      );
      expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe(out.notesText);
      expect(out.tables).toContain('noisy host: 1 interval(s)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
