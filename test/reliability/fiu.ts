import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { findExecutable } from '../../backends/servers/spawn-server.js';
import { forkModule } from '../../harness/fork-module.js';
import { fixture } from './helpers.js';

/**
 * Debian's libfiu (`fiu-utils`): `fiu-run -x` preloads wrappers around the
 * POSIX calls so each can be made to fail; `fiu-ctrl` switches failure points
 * on and off in a running process through its control FIFO.
 *
 * Faults are enabled only after start-up and only around code that spawns
 * nothing and sends nothing over IPC: at a few percent Node's own module
 * loader fails, and a failed `write` on libuv's pipes aborts the process.
 */
export interface FiuAvailability {
  available: boolean;
  reason: string;
}

/** Whether fiu-run and fiu-ctrl are installed; under CI=true a missing one is a failure, elsewhere a reported skip. */
export function fiuTools(): FiuAvailability {
  if (findExecutable('fiu-run') && findExecutable('fiu-ctrl')) return { available: true, reason: '' };
  const reason = 'fiu-run/fiu-ctrl are not on PATH; install them to run the I/O fault tests: apt-get install fiu-utils';
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: a missing tool fails instead of skipping)`);
  console.warn(`SKIPPED: ${reason}`);
  return { available: false, reason };
}

let cachedEnv: Record<string, string> | undefined;

/**
 * The environment `fiu-run -x` gives a program (its preload libraries and
 * control-FIFO prefix), read from fiu-run itself so nothing about the
 * package's layout is assumed. No failure point is enabled at start.
 */
export function fiuRunEnv(): Record<string, string> {
  if (cachedEnv === undefined) {
    const out = execFileSync('fiu-run', ['-x', '/usr/bin/env', '-0'], { encoding: 'utf8' });
    cachedEnv = {};
    for (const entry of out.split('\0')) {
      const at = entry.indexOf('=');
      const name = entry.slice(0, at);
      if (name === 'LD_PRELOAD' || name.startsWith('FIU_')) cachedEnv[name] = entry.slice(at + 1);
    }
    if (!cachedEnv.LD_PRELOAD?.includes('fiu_posix_preload'))
      throw new Error(`fiu-run -x set no POSIX preload library: ${out}`);
  }
  return cachedEnv;
}

/** Forks a fixture under fiu-run's preload, with an IPC channel and stderr inherited. */
export function forkUnderFiu(name: string, args: string[]): ChildProcess {
  return forkModule(fixture(name), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...fiuRunEnv() },
  });
}

export const ERRNO = { EIO: 5, ENOSPC: 28 } as const;
export type FaultErrno = keyof typeof ERRNO;

/** One failure point: a libfiu name (wildcards allowed), the errno it sets and how often a call fails. */
export interface Fault {
  point: string;
  errno: FaultErrno;
  probability: number;
}

export function describeFault(fault: Fault): string {
  return `${fault.point} ${fault.errno} p=${fault.probability}`;
}

/** Sends commands to a process's control FIFO; bounded, so a process that stopped listening cannot hang the test. */
function fiuCtrl(pid: number, command: string): void {
  try {
    execFileSync('fiu-ctrl', ['-c', command, String(pid)], { timeout: 15_000, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    throw new Error(`fiu-ctrl -c '${command}' ${pid} failed: ${String(error)}`, { cause: error });
  }
}

export function enableFault(pid: number, fault: Fault): void {
  fiuCtrl(pid, `enable_random name=${fault.point},probability=${fault.probability},failinfo=${ERRNO[fault.errno]}`);
}

export function disableFault(pid: number, fault: Fault): void {
  fiuCtrl(pid, `disable name=${fault.point}`);
}
