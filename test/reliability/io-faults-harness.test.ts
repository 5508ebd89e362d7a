import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadResults } from '../../results/results-io.js';
import { spawnCli } from '../cli/spawn-cli.js';
import { tempDir } from '../engine/helpers.js';
import { disableFault, enableFault, fiuRunEnv, fiuTools, type Fault } from './fiu.js';
import { sleep } from './helpers.js';

/**
 * A whole `cachebench run` under fiu-run's preload: once its workers are
 * measuring, SQLite's writes in the workers fail with EIO for a while. The
 * run must finish, write its results, and count the failed operations as
 * errors (status partial, exit 1), as it does for a Redis server that dies.
 */
const fiu = fiuTools();
const FAULT: Fault = { point: 'posix/io/rw/pwrite', errno: 'EIO', probability: 0.2 };

/** Pids of `parent`'s harness workers, from /proc (tsx's esbuild service is a child too). */
function workersOf(parent: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('harness/worker')) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Whether the process has SQLite's WAL open: its backend is open, so measuring is about to start. */
function hasWalOpen(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).endsWith('-wal');
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

describe.skipIf(!fiu.available)(
  `the harness with a backend whose disk fails${fiu.available ? '' : ` (skipped: ${fiu.reason})`}`,
  () => {
    it('finishes, writes the results, counts the failed operations and marks sqlite partial', async () => {
      const dir = tempDir();
      const out = join(dir, 'faulty.json');
      const cli = spawnCli(['run', 'talk', '-b', 'sqlite', '-p', '2', '-d', '5', '-w', '0', '--no-report', '-o', out], {
        cwd: dir,
        env: fiuRunEnv(),
      });
      let exited = false;
      void cli.exit.then(() => (exited = true));
      // Wait until both workers have their backend open (the WAL is among their files), and the
      // 100-key preload that follows has had time to end: then they are measuring.
      let workers: number[] = [];
      while (!exited && workers.length < 2) {
        workers = workersOf(cli.child.pid!).filter(hasWalOpen);
        await sleep(20);
      }
      expect(workers.length, `the run ended before its workers opened the store\n${cli.stderr()}`).toBe(2);
      await sleep(500);
      // Faults only inside the measuring workers, which spawn nothing; off again before they report.
      for (const pid of workers) enableFault(pid, FAULT);
      await sleep(1_500);
      for (const pid of workers) disableFault(pid, FAULT);

      const { code, stdout, stderr } = await cli.exit;
      expect(code, stderr).toBe(1);
      const [sqlite] = (await loadResults(out)).backends;
      expect(sqlite!.status, `${sqlite!.message}\n${stderr}`).toBe('partial');
      const actions = Object.values(sqlite!.actions);
      const failed = actions.reduce((n, a) => n + a.errors, 0);
      expect(failed).toBeGreaterThan(0);
      expect(actions.reduce((n, a) => n + a.count, 0)).toBeGreaterThan(0);
      expect(sqlite!.message).toMatch(new RegExp(`^${failed} of \\d+ operations failed: `));
      expect(actions.flatMap((a) => a.errorMessages).join('\n')).toMatch(
        /SQLITE_IOERR|CACHE_IO|could not be read or written/,
      );
      expect(stdout).toContain(`results: ${out}`);
      console.log(`harness under faults: ${failed} failed operations counted; ${sqlite!.message}`);
    }, 120_000);
  },
);
