import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CompareInputError } from './errors.js';

/**
 * Checks, before any work, that a file given on the command line
 * (`--markdown`, `--json`, `baseline save --file`) can be written, so a typo
 * is one line naming the path and the fix, not a raw ENOENT after the table
 * (and the verdict) has been computed. `createFolders`: missing folders will
 * be created (baseline save), so only the nearest existing one must be writable.
 */
export function checkOutputPath(option: string, path: string, options: { createFolders?: boolean } = {}): void {
  const fail = (problem: string): never => {
    throw new CompareInputError(`${option} ${path}: ${problem}`);
  };
  const target = statOrUndefined(path);
  if (target?.isDirectory())
    fail(
      `is a folder; give a file name, e.g. ${join(path, option === '--json' ? 'compare.json' : option === '--markdown' ? 'compare.md' : 'baseline.json')}`,
    );
  let folder = dirname(resolve(path));
  let stats = statOrUndefined(folder);
  if (!stats && !options.createFolders) fail(`folder ${folder} does not exist; create it first or choose another path`);
  while (!stats) {
    folder = dirname(folder);
    stats = statOrUndefined(folder);
  }
  if (!stats.isDirectory()) fail(`${folder} is a file, not a folder; choose another path`);
  const writable = (p: string): boolean => {
    try {
      accessSync(p, constants.W_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (!writable(folder)) fail(`no permission to write in ${folder}; choose another path`);
  if (target && !writable(path)) fail('the file exists and is not writable; choose another path');
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    // ENOTDIR: a part of the path is a file; the caller finds which when it walks up.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
