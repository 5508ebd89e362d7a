/**
 * CPU placement (`--pin`, issue 12). Where the client and the server run
 * changes what a request costs: on the same CPU a request hands off by a
 * context switch; on separate CPUs it hands off through a wake-up of the other
 * CPU, which is cheap when that CPU is busy and expensive when it has gone
 * idle. Pinning makes the choice explicit, and the affinity the kernel actually
 * applied is read back and recorded, never assumed.
 */
import { execFileSync } from 'node:child_process';
import type { Placement } from './results.js';
import { parseCpuList, readCpusAllowed } from './proc-stat.js';

export type PinMode = 'same' | 'separate';
/** What `--pin` accepts: one placement, or both one after the other. */
export type PinChoice = PinMode | 'both';

export const PIN_CHOICES: readonly PinChoice[] = ['same', 'separate', 'both'];

/** The CPU list each worker and the server get. */
export interface PlacementPlan {
  mode: PinMode;
  workers: string[];
  server: string;
}

export class PlacementError extends Error {
  readonly code = 'PLACEMENT';
  constructor(message: string) {
    super(message);
    this.name = 'PlacementError';
  }
}

/** The CPUs this process may use: workers and the server are placed among them. */
export function availableCpus(): number[] {
  const listed = readCpusAllowed(process.pid);
  return listed ? parseCpuList(listed) : [];
}

/**
 * same: every worker and the server on one CPU (the first available).
 * separate: the server alone on the first CPU, workers round-robin over the
 * rest; with no server to separate from, one CPU per worker round-robin over all.
 */
export function planPlacement(mode: PinMode, procs: number, cpus: readonly number[], hasServer: boolean): PlacementPlan {
  if (cpus.length === 0) throw new PlacementError('--pin: this system does not report the CPUs a process may use (/proc/self/status); run without --pin');
  const first = String(cpus[0]);
  if (mode === 'same') return { mode, workers: Array.from({ length: procs }, () => first), server: first };
  const pool = hasServer ? cpus.slice(1) : cpus;
  if (pool.length === 0) throw new PlacementError('--pin separate needs at least 2 CPUs (one for the server, one for the workers); this process may use 1');
  return { mode, workers: Array.from({ length: procs }, (_, i) => String(pool[i % pool.length])), server: first };
}

/**
 * Sets the affinity of every thread of `pid` (`taskset -a`: Node's libuv and V8
 * threads too, not only the main one). Returns the list the kernel reports
 * afterwards, or throws with taskset's reason.
 */
export function applyAffinity(pid: number, cpuList: string): string {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5_000 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT') throw new PlacementError('--pin needs taskset (util-linux: apt-get install util-linux); run without --pin');
    throw new PlacementError(`taskset could not pin pid ${pid} to CPU ${cpuList}: ${(e.stderr?.toString() ?? e.message).trim().split('\n')[0]}`);
  }
  const applied = readCpusAllowed(pid);
  if (applied === undefined) throw new PlacementError(`pid ${pid} ended before its affinity could be read back`);
  return applied;
}

/** Pins the workers and (when there is one) the local server; problems are recorded, and the run goes on unpinned. */
export function applyPlacement(plan: PlacementPlan, workerPids: readonly (number | undefined)[], serverPid: number | undefined): Placement {
  const placement: Placement = {
    mode: plan.mode,
    method: 'taskset -a -p -c, read back from /proc/<pid>/status Cpus_allowed_list',
    requested: { workers: plan.workers, ...(serverPid !== undefined ? { server: plan.server } : {}) },
    applied: { workers: workerPids.map(() => null) },
  };
  const problems: string[] = [];
  const pin = (pid: number | undefined, list: string): string | null => {
    if (pid === undefined) return null;
    try {
      return applyAffinity(pid, list);
    } catch (error) {
      problems.push((error as Error).message);
      return readCpusAllowed(pid) ?? null;
    }
  };
  placement.applied.workers = workerPids.map((pid, i) => pin(pid, plan.workers[i]!));
  if (serverPid !== undefined) placement.applied.server = pin(serverPid, plan.server);
  if (problems.length > 0) placement.error = [...new Set(problems)].join('; ');
  return placement;
}
