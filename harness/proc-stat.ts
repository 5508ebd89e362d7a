/**
 * CPU time from Linux's /proc: the whole host's busy time (/proc/stat) and one
 * process's (/proc/<pid>/stat). Both count in clock ticks of USER_HZ, which the
 * kernel fixes at 100 for these files whatever the scheduler's own tick rate.
 * Every reader returns undefined where /proc is missing (macOS, Windows) or the
 * process is gone, so callers degrade to "not measured" instead of failing.
 */
import { readFileSync } from 'node:fs';

export const TICKS_PER_SECOND = 100;

export interface HostCpu {
  /** Ticks spent running anything: user, nice, system, irq, softirq (idle and iowait left out). */
  busy: number;
  /** Ticks a hypervisor gave this VM's CPUs to someone else. */
  steal: number;
}

/** Parses the aggregate `cpu` line of /proc/stat text. */
export function parseHostCpu(statText: string): HostCpu | undefined {
  const line = statText.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  if (f.length < 7 || f.some((n) => !Number.isFinite(n))) return undefined;
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already inside user.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
  return { busy: user + nice + system + irq + softirq, steal };
}

export function readHostCpu(path = '/proc/stat'): HostCpu | undefined {
  try {
    return parseHostCpu(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * utime+stime of a /proc/<pid>/stat line, plus cutime+cstime when `withReaped`:
 * a worker that exits and is reaped moves its time into its parent's cutime,
 * so counting the parent's reaped-children time keeps the run's total
 * continuous when workers end between two samples.
 */
export function parseProcessTicks(statText: string, withReaped: boolean): number | undefined {
  // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
  const close = statText.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = statText
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  // After the name: state is field 3, so utime (14) is index 11 here, stime 12, cutime 13, cstime 14.
  const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(f[i]));
  if (![utime, stime, cutime, cstime].every((n) => Number.isFinite(n))) return undefined;
  return utime! + stime! + (withReaped ? cutime! + cstime! : 0);
}

export function readProcessTicks(pid: number, withReaped = false): number | undefined {
  try {
    return parseProcessTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'), withReaped);
  } catch {
    return undefined;
  }
}

/** The CPUs a process may run on, as the kernel reports it (`0-1`, `3`), read back after pinning. */
export function readCpusAllowed(pid: number): string | undefined {
  try {
    const match = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1];
  } catch {
    return undefined;
  }
}

/** `0-2,5` → [0, 1, 2, 5]. */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!range) continue;
    const from = Number(range[1]);
    const to = range[2] === undefined ? from : Number(range[2]);
    for (let cpu = from; cpu <= to; cpu++) cpus.push(cpu);
  }
  return cpus;
}
