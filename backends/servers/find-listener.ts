import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * The pid of the process listening on a loopback TCP port, from /proc (Linux):
 * the LISTEN socket's inode in /proc/net/tcp{,6}, then the process holding
 * `socket:[inode]` among its file descriptors. Used so an external server the
 * run talks to on this machine (REDIS_URL=redis://127.0.0.1:6379, docker
 * compose with host networking) is counted as the run's own CPU, not as host
 * noise. Undefined when it cannot be told: not Linux, another user's process
 * whose fds we may not read, a server in a container's own network namespace.
 */
export function findListenerPid(port: number, procRoot = '/proc', expectName?: RegExp): number | undefined {
  const pid = listenerPid(port, procRoot);
  if (pid === undefined || expectName === undefined) return pid;
  // docker's userland proxy listens for a published port: its pid is not the server's, whose CPU stays untracked.
  try {
    return expectName.test(readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim()) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function listenerPid(port: number, procRoot: string): number | undefined {
  const inodes = new Set<string>();
  for (const table of ['net/tcp', 'net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(`${procRoot}/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:tm retrnsmt uid timeout inode
      if (fields.length < 10 || fields[3] !== '0A') continue; // 0A = LISTEN
      const localPort = Number.parseInt(fields[1]!.split(':')[1] ?? '', 16);
      if (localPort === port && fields[9] !== '0') inodes.add(fields[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  let pids: string[];
  try {
    pids = readdirSync(procRoot).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${procRoot}/${pid}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`${procRoot}/${pid}/fd/${fd}`));
        if (match && inodes.has(match[1]!)) return Number(pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  return undefined;
}

/** Whether a host name is this machine's loopback (only then can a listener here be the server). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}
