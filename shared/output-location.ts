import { mkdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CachebenchError } from '../shared/cachebench-error.js';

/**
 * Where results and reports go, made ready before a benchmark runs, so a bad
 * `--out` fails in a second instead of losing minutes of measurements.
 *
 * Folders are created one level at a time, never with `mkdir -p`: Node's
 * recursive mkdir loops forever at full CPU when a level cannot be created
 * but its parent exists (ENOENT under /proc, whose parent says EEXIST), which
 * is how `--out /proc/nope/x.json` hung.
 */
export class OutputLocationError extends CachebenchError<'OUTPUT_LOCATION'> {
  constructor(message: string) {
    super('OUTPUT_LOCATION', message);
  }
}

async function kindOf(path: string): Promise<'file' | 'directory' | 'other' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'directory' : s.isFile() ? 'file' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR')
      throw new OutputLocationError(`cannot use ${path}: a folder on its way is a file`);
    throw new OutputLocationError(
      `cannot use ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

/**
 * Makes `dir` exist and proves it writable (a probe file is written and
 * removed). Returns the folders it created, outermost first, so a caller can
 * remove them again; on failure it removes them itself.
 */
export async function prepareDirectory(dir: string): Promise<string[]> {
  const target = resolve(dir);
  const missing: string[] = [];
  let at = target;
  for (;;) {
    const kind = await kindOf(at);
    if (kind === 'directory') break;
    if (kind !== undefined)
      throw new OutputLocationError(
        `${at} is a ${kind === 'file' ? 'file' : 'special file'}, not a folder; choose another location`,
      );
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  const created: string[] = [];
  try {
    for (const folder of missing) {
      try {
        await mkdir(folder);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'EEXIST' || (await kindOf(folder)) !== 'directory')
          throw new OutputLocationError(`cannot create folder ${folder} (${code ?? (error as Error).message})`);
        continue;
      }
      created.push(folder);
    }
    const probe = join(target, `.cachebench-probe-${process.pid}`);
    try {
      await writeFile(probe, '');
      await rm(probe, { force: true });
    } catch (error) {
      throw new OutputLocationError(
        `cannot write in ${target} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    return created;
  } catch (error) {
    for (const folder of [...created].reverse()) await rmdir(folder).catch(() => {});
    throw error;
  }
}

/** Prepares the folder of a file about to be written; the path itself must not be a folder. */
export async function prepareFileLocation(path: string): Promise<string[]> {
  if ((await kindOf(resolve(path))) === 'directory')
    throw new OutputLocationError(`${resolve(path)} is a folder; give a .json file path or the folder to write into`);
  return prepareDirectory(dirname(resolve(path)));
}
