/**
 * What a report folder holds that cachebench wrote: `.cachebench-report.json`
 * lists the files of the last report, relative to the folder. A new report
 * into the same folder removes the files the last one wrote and this one did
 * not (a plot that is no longer drawn, a notes.txt with nothing to say), and
 * never touches anything else: a file is removed only when the manifest names
 * it, and a name that leaves the folder is ignored. A report that fails
 * removes what it wrote and the folders it made, leaving no empty folders.
 */
import { readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';

export const MANIFEST_NAME = '.cachebench-report.json';
const MANIFEST_SCHEMA = 'cachebench/report-manifest';

/** A manifest entry that stays inside the folder: relative, with no `..` step. */
function insideFolder(path: string): boolean {
  const n = normalize(path);
  return n !== '' && !isAbsolute(n) && n !== '..' && !n.startsWith(`..${sep}`) && n !== MANIFEST_NAME;
}

/** The files the last report listed; [] when there is no manifest or it is not ours. */
export async function readManifest(dir: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_NAME), 'utf8');
  } catch {
    return [];
  }
  try {
    const data = JSON.parse(text) as { schema?: unknown; files?: unknown };
    if (data.schema !== MANIFEST_SCHEMA || !Array.isArray(data.files)) return [];
    return data.files.filter((f): f is string => typeof f === 'string' && insideFolder(f));
  } catch {
    return [];
  }
}

/** Removes a folder and then its parents up to `dir` (exclusive) while they are empty. */
async function removeEmptyFolders(dir: string, from: string): Promise<void> {
  let at = from;
  while (at !== dir && relative(dir, at) !== '' && !relative(dir, at).startsWith('..')) {
    try {
      await rmdir(at);
    } catch {
      return; // not empty, or already gone
    }
    at = dirname(at);
  }
}

/**
 * After a report wrote `written` (paths as given, under `dir`): removes the
 * files `previous` listed that it did not write again, then records `written`.
 * Returns the removed files' relative paths.
 */
export async function replaceManifest(
  dir: string,
  previous: readonly string[],
  written: readonly string[],
): Promise<string[]> {
  const now = written.map((p) => relative(dir, p));
  const keep = new Set(now.map(normalize));
  const stale = previous.filter((p) => !keep.has(normalize(p)));
  for (const p of stale) {
    await rm(join(dir, p), { force: true });
    await removeEmptyFolders(dir, dirname(join(dir, p)));
  }
  await writeFile(
    join(dir, MANIFEST_NAME),
    `${JSON.stringify({ schema: MANIFEST_SCHEMA, version: 1, files: now }, null, 2)}\n`,
  );
  return stale;
}

/** After a failure: removes the files written and then the folders created (innermost first) when empty. */
export async function undoReport(written: readonly string[], createdFolders: readonly string[]): Promise<void> {
  for (const p of written) await rm(p, { force: true });
  for (const folder of [...createdFolders].reverse()) await rmdir(folder).catch(() => {});
}
