import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The `mode` given to mkdir/open is filtered through the process umask, so a
 * group-shared cache (fileMode 0o660) would come out 0o640 under the common
 * umask 0o022. Everything the engine creates is chmod'ed to the configured
 * mode afterwards, so modes never depend on the umask (SECURITY.md). Only what
 * this call created is changed: an existing directory keeps its owner's mode.
 * Returns the first directory it created (the outermost), or undefined.
 */
export function makeDirectory(path: string, mode: number): string | undefined {
  const first = mkdirSync(path, { recursive: true, mode });
  if (first === undefined) return undefined; // it existed: nothing created, nothing to fix
  for (let dir = path; ; dir = dirname(dir)) {
    chmodSync(dir, mode);
    if (dir === first || dirname(dir) === dir) return first;
  }
}
