import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Small filesystems made for one test: a tmpfs of a given size (a disk that
 * fills up) that can be remounted read-only. Needs root and mount(2); when
 * that is impossible (no root, a container without CAP_SYS_ADMIN) `why`
 * says so and the test skips with that reason.
 */
export interface Mount {
  dir: string;
  readOnly(): void;
  unmount(): void;
}

export function mountTmpfs(bytes: number): Mount | { why: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cachebench-mnt-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const detail = String((error as { stderr?: Buffer }).stderr ?? error).trim();
    return { why: `cannot mount a tmpfs here (${detail || 'mount failed'}); run as root with CAP_SYS_ADMIN to enable` };
  }
  return {
    dir,
    readOnly: () => execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' }),
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Sets or clears the immutable attribute (even root cannot write inside an immutable folder). */
export function chattr(path: string, flag: '+i' | '-i'): string | undefined {
  try {
    execFileSync('chattr', [flag, path], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `chattr ${flag} failed (${String((error as { stderr?: Buffer }).stderr ?? error).trim()}); needs root on ext4/xfs/tmpfs`;
  }
}
