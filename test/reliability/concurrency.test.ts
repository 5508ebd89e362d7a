import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, FanoutCache } from '../../engine/index.js';
import { tempDir } from '../engine/helpers.js';
import { CACHE_OPTIONS, FANOUT_OPTIONS, valueFor, type Report } from './fixtures/contender-shared.js';
import { SPILL_AT } from './fixtures/crash-ops.js';
import { exited, firstMessage, forkFixture, sleep } from './helpers.js';

/**
 * Starts one process per role, waits until every one has loaded, then gives
 * them a common start instant a little ahead, so they open the (fresh)
 * directory together. Resolves with each process's report.
 */
async function contend(dir: string, roles: string[], seconds: number): Promise<Report[]> {
  const children: ChildProcess[] = roles.map((role, id) =>
    forkFixture('contender.ts', [dir, role, String(id), String(seconds)]),
  );
  try {
    await Promise.all(children.map((child) => firstMessage(child, 60_000)));
    const reports = children.map(
      (child) => new Promise<Report>((resolve) => child.once('message', (m) => resolve(m as Report))),
    );
    const startAt = Date.now() + 300;
    for (const child of children) child.send({ startAt });
    const done = await Promise.all(reports);
    await Promise.all(children.map(exited));
    return done;
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

/** Every key's last acknowledged write reads back exactly; the shared counter saw every increment once. */
function verify(cache: Cache | FanoutCache, reports: Report[]): number {
  let checked = 0;
  for (const report of reports) {
    for (const [key, i] of Object.entries(report.last)) {
      expect(cache.get(key), key).toEqual(valueFor(key, i, i % 7 === 0));
      checked++;
    }
  }
  expect(cache.get('shared')).toBe(reports.reduce((sum, r) => sum + r.incrs, 0));
  return checked;
}

describe('concurrency', () => {
  it('16 processes open a fresh directory at the same instant, then 8 writers and 8 readers share it for 3 s', async () => {
    const dir = join(tempDir(), 'fresh', 'cache');
    const roles = [...Array(8).fill('writer'), ...Array(8).fill('reader')] as string[];
    const reports = await contend(dir, roles, 3);
    expect(reports.map((r) => r.error ?? 'ok')).toEqual(Array(16).fill('ok'));
    expect(reports.reduce((n, r) => n + r.mismatches, 0)).toBe(0);
    const cache = new Cache(dir, CACHE_OPTIONS);
    try {
      const checked = verify(cache, reports);
      expect(cache.check()).toEqual([]);
      expect(cache.settings.sqliteJournalMode).toBe('wal');
      const ops = reports.reduce((n, r) => n + r.ops, 0);
      expect(reports.every((r) => r.ops > 0)).toBe(true);
      console.log(
        `concurrency: 16 processes opened one fresh directory at once; ${ops} operations in 3 s, no errors, ${checked} last writes and ${reports.reduce((n, r) => n + r.incrs, 0)} increments verified`,
      );
    } finally {
      cache.close();
    }
  });

  it('check() while another process replaces spilled values: no error and no false warning', async () => {
    const base = tempDir();
    const dir = join(base, 'cache');
    // The crash test's writer, left running: it replaces spill files (and their folders) all the time.
    const writer = forkFixture('crash-writer.ts', [dir, join(base, 'writer.log'), '0', '0', '1']);
    try {
      await firstMessage(writer);
      await sleep(200);
      const cache = new Cache(dir, { diskMinFileSize: SPILL_AT });
      try {
        const deadline = Date.now() + 2000;
        let checks = 0;
        while (Date.now() < deadline) {
          expect(cache.check()).toEqual([]);
          checks++;
          await sleep(5); // let the writer in between checks
        }
        expect(checks).toBeGreaterThan(5);
      } finally {
        cache.close();
      }
    } finally {
      writer.kill('SIGKILL');
      await exited(writer);
    }
  });

  it('FanoutCache under contention with a 10 ms timeout: only counted timeouts, and a timed-out write never lands', async () => {
    const dir = join(tempDir(), 'fanout');
    // One process keeps taking every shard's lock for 25 ms at a time: 10 ms waits must give up.
    const roles = ['hog', 'fanout', 'fanout', 'fanout', 'fanout', 'fanout'];
    const reports = await contend(dir, roles, 3);
    expect(reports.map((r) => r.error ?? 'ok')).toEqual(Array(roles.length).fill('ok'));
    expect(reports.reduce((n, r) => n + r.mismatches, 0)).toBe(0);
    const timeouts = reports.reduce((n, r) => n + r.timeouts, 0);
    expect(timeouts).toBeGreaterThan(0); // the contention was real
    const cache = new FanoutCache(dir, FANOUT_OPTIONS);
    try {
      const checked = verify(cache, reports);
      expect(cache.check({ orphanAge: 0 })).toEqual([]); // a timed-out spilled set removed its file
      const ops = reports.reduce((n, r) => n + r.ops, 0);
      console.log(
        `concurrency: FanoutCache, 5 workers + 1 lock hog for 3 s: ${ops} operations, ${timeouts} counted timeouts, no other errors, ${checked} last writes verified`,
      );
    } finally {
      cache.close();
    }
  });
});
