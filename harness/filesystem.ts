/**
 * Which filesystem a cache directory lives on, from /proc/mounts by the
 * longest mount-point prefix of its real path. A disk cache on NFS or SMB is a
 * different experiment: latencies are network round trips, and SQLite's file
 * locks are unreliable there, so several processes can corrupt the database.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { FilesystemInfo } from '../results/results.js';

export interface MountEntry {
  device: string;
  mountPoint: string;
  type: string;
}

// Network filesystems, including the FUSE ones (sshfs shows up as fuse.sshfs).
const NETWORK_TYPES = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb',
  'smb2',
  'smb3',
  'smbfs',
  'sshfs',
  'fuse.sshfs',
  'afs',
  'ceph',
  'glusterfs',
  'fuse.glusterfs',
  'lustre',
  '9p',
  'davfs',
  'fuse.rclone',
]);

/** /proc/mounts escapes space, tab, newline and backslash as octal (`\040`). */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseMounts(text: string): MountEntry[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 3 && f[0] !== '')
    .map(([device, mountPoint, type]) => ({
      device: unescapeMount(device!),
      mountPoint: unescapeMount(mountPoint!),
      type: type!,
    }));
}

function isUnder(path: string, mountPoint: string): boolean {
  if (mountPoint === '/') return path.startsWith('/');
  return path === mountPoint || path.startsWith(mountPoint.endsWith(sep) ? mountPoint : mountPoint + sep);
}

/** The real path of `path`, or of its nearest existing ancestor (the cache directory may not exist yet). */
function realPathOf(path: string): string {
  let current = resolve(path);
  for (;;) {
    try {
      return realpathSync(current);
    } catch {
      const parent = dirname(current);
      if (parent === current) return current;
      current = parent;
    }
  }
}

/**
 * The filesystem under `path`. `mountsText` is /proc/mounts' content (tests
 * pass a recorded one); the last of several mounts on one point wins, as in
 * the kernel. Undefined where there is no /proc/mounts (macOS, Windows).
 */
export function filesystemOf(path: string, mountsText?: string): FilesystemInfo | undefined {
  let text = mountsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/mounts', 'utf8');
    } catch {
      return undefined;
    }
  }
  // A recorded table describes another machine: compare the path as given, not this machine's real path.
  const real = mountsText === undefined ? realPathOf(path) : resolve(path);
  let best: MountEntry | undefined;
  for (const entry of parseMounts(text)) {
    if (isUnder(real, entry.mountPoint) && (!best || entry.mountPoint.length >= best.mountPoint.length)) best = entry;
  }
  if (!best) return undefined;
  const network = NETWORK_TYPES.has(best.type) || best.type.startsWith('nfs');
  const info: FilesystemInfo = {
    path: real,
    mountPoint: best.mountPoint,
    type: best.type,
    device: best.device,
    network,
  };
  if (network) {
    info.warning = `${real} is on ${best.type} (a network filesystem, mounted at ${best.mountPoint}): latencies include network round trips, and SQLite's file locking is unreliable there, so concurrent processes can corrupt a SQLite cache; put the cache directory on a local disk`;
  }
  return info;
}
