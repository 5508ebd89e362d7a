/**
 * CPU placement (`--pin`). Where the client and the server run
 * changes what a request costs: on the same CPU a request hands off by a
 * context switch; on separate CPUs it hands off through a wake-up of the other
 * CPU, which is cheap when that CPU is busy and expensive when it has gone
 * idle. Pinning makes the choice explicit, and the affinity the kernel actually
 * applied is read back and recorded, never assumed.
 */
import { execFileSync } from 'node:child_process';
import type { Placement } from '../results/results.js';
import { parseCpuList, readCpusAllowed } from './proc-stat.js';
import { firstLine } from '../shared/first-line.js';
import { CachebenchError } from '../shared/cachebench-error.js';

export type PinMode = 'same' | 'separate';
/** Explicit CPU lists in canonical text, `client=LIST[,server=LIST]` (harness/pin-choice.ts parses it). */
export type ExplicitPinText = `client=${string}`;
/** What `--pin` accepts: one placement, both one after the other, or explicit CPU lists. */
export type PinChoice = PinMode | 'both' | ExplicitPinText;

/** The named choices; explicit lists are the other form (see parsePinChoice). */
export const PIN_CHOICES: readonly PinChoice[] = ['same', 'separate', 'both'];

/** Explicit CPUs: every worker gets the `client` list (the kernel places it within), a local server the `server` list. */
export interface ExplicitPin {
  client: string;
  server?: string;
}

/** One backend's placement: a named mode or explicit CPU lists. */
export type PlacementRequest = PinMode | ExplicitPin;

/** The CPU list each worker and the server get (`server` undefined: the server is left where it is). */
export interface PlacementPlan {
  mode: PinMode | 'explicit';
  workers: string[];
  server: string | undefined;
}

export class PlacementError extends CachebenchError<'PLACEMENT'> {
  constructor(message: string) {
    super('PLACEMENT', message);
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
 * explicit: the lists as given, after checking this process may use every CPU in them.
 */
export function planPlacement(
  mode: PlacementRequest,
  procs: number,
  cpus: readonly number[],
  hasServer: boolean,
): PlacementPlan {
  if (cpus.length === 0)
    throw new PlacementError(
      '--pin: this system does not report the CPUs a process may use (/proc/self/status); run without --pin',
    );
  if (typeof mode === 'object') {
    checkCpusAvailable(mode, cpus);
    return { mode: 'explicit', workers: Array.from({ length: procs }, () => mode.client), server: mode.server };
  }
  const first = String(cpus[0]);
  if (mode === 'same') return { mode, workers: Array.from({ length: procs }, () => first), server: first };
  const pool = hasServer ? cpus.slice(1) : cpus;
  if (pool.length === 0)
    throw new PlacementError(
      '--pin separate needs at least 2 CPUs (one for the server, one for the workers); this process may use 1',
    );
  return { mode, workers: Array.from({ length: procs }, (_, i) => String(pool[i % pool.length])), server: first };
}

/**
 * Sets the affinity of every thread of `pid` (`taskset -a`: Node's libuv and V8
 * threads too, not only the main one). Returns the list the kernel reports
 * afterwards, or throws with taskset's reason.
 */
export function applyAffinity(pid: number, cpuList: string): string {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpuList, String(pid)], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 5_000,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === 'ENOENT')
      throw new PlacementError('--pin needs taskset (util-linux: apt-get install util-linux); run without --pin');
    throw new PlacementError(
      `taskset could not pin pid ${pid} to CPU ${cpuList}: ${firstLine((e.stderr?.toString() ?? e.message).trim())}`,
    );
  }
  const applied = readCpusAllowed(pid);
  if (applied === undefined) throw new PlacementError(`pid ${pid} ended before its affinity could be read back`);
  return applied;
}

/** Throws a PlacementError naming the first listed CPU this process may not use. */
export function checkCpusAvailable(pin: ExplicitPin, cpus: readonly number[]): void {
  for (const [role, list] of [
    ['client', pin.client],
    ['server', pin.server],
  ] as const) {
    if (list === undefined) continue;
    const missing = parseCpuList(list).find((cpu) => !cpus.includes(cpu));
    if (missing !== undefined)
      throw new PlacementError(
        `--pin ${role}=${list}: CPU ${missing} is not one this process may use (${cpus.join(',')})`,
      );
  }
}

/** Pins the workers and (when there is one) the local server; problems are recorded, and the run goes on unpinned. */
export function applyPlacement(
  plan: PlacementPlan,
  workerPids: readonly (number | undefined)[],
  serverPid: number | undefined,
): Placement {
  const placement: Placement = {
    mode: plan.mode,
    method: 'taskset -a -p -c, read back from /proc/<pid>/status Cpus_allowed_list',
    requested: {
      workers: plan.workers,
      ...(serverPid !== undefined && plan.server !== undefined ? { server: plan.server } : {}),
    },
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
  if (serverPid !== undefined && plan.server !== undefined) placement.applied.server = pin(serverPid, plan.server);
  if (problems.length > 0) placement.error = [...new Set(problems)].join('; ');
  return placement;
}
