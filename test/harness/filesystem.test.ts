import { readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { filesystemOf, parseMounts } from '../../harness/filesystem.js';

// Recorded from a Linux machine with local, tmpfs and network mounts (edited to hold one of each kind).
const mounts = readFileSync(fileURLToPath(new URL('./fixtures/proc-mounts.txt', import.meta.url)), 'utf8');

describe('filesystem of the cache directory (recorded /proc/mounts)', () => {
  it('picks the longest mount-point prefix: ext4 at /, tmpfs under /dev/shm, ext4 for /home', () => {
    expect(filesystemOf('/var/tmp/cache', mounts)).toMatchObject({
      type: 'ext4',
      mountPoint: '/',
      device: '/dev/vda',
      network: false,
    });
    expect(filesystemOf('/dev/shm/cachebench-1', mounts)).toMatchObject({
      type: 'tmpfs',
      mountPoint: '/dev/shm',
      network: false,
    });
    expect(filesystemOf('/home/bob/cache', mounts)).toMatchObject({ type: 'ext4', device: '/dev/vdb1' });
    // A prefix of the name is not a parent folder: /homework is on /, not on /home.
    expect(filesystemOf('/homework', mounts)).toMatchObject({ mountPoint: '/' });
    for (const local of ['/var/tmp/cache', '/dev/shm/x', '/home/bob'])
      expect(filesystemOf(local, mounts)!.warning).toBeUndefined();
  });

  it('warns for NFS, SMB and sshfs, naming the filesystem and SQLite locking', () => {
    const nfs = filesystemOf('/mnt/cache/sqlite', mounts)!;
    expect(nfs).toMatchObject({ type: 'nfs4', network: true, device: 'fileserver:/export/cache' });
    expect(nfs.warning).toMatch(/nfs4.*network filesystem.*SQLite.*lock/);
    expect(filesystemOf('/mnt/share/x', mounts)).toMatchObject({ type: 'cifs', network: true });
    expect(filesystemOf('/home/alice/remote/c', mounts)).toMatchObject({ type: 'fuse.sshfs', network: true });
    // A local mount inside a network one is local again.
    expect(filesystemOf('/mnt/cache/local/x', mounts)).toMatchObject({ type: 'tmpfs', network: false });
  });

  it('decodes octal escapes in mount points', () => {
    expect(parseMounts(mounts).some((m) => m.mountPoint === '/mnt/my disk')).toBe(true);
    expect(filesystemOf('/mnt/my disk/cache', mounts)).toMatchObject({ type: 'xfs', mountPoint: '/mnt/my disk' });
  });

  it('reads this machine: /dev/shm is tmpfs and the temp dir is on a named filesystem', (ctx) => {
    if (!existsSync('/proc/mounts')) return ctx.skip(); // not Linux: filesystemOf returns undefined there
    const temp = filesystemOf(tmpdir());
    expect(temp?.type).toMatch(/^[a-z0-9.]+$/);
    if (existsSync('/dev/shm')) expect(filesystemOf('/dev/shm')?.type).toBe('tmpfs');
  });
});
