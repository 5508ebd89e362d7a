import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultsFile } from '../results/results.js';
import { CompareInputError } from './errors.js';

/** Reads and validates one results file (the results loader, results/results-io.ts). */
export type LoadResults = (path: string) => ResultsFile | Promise<ResultsFile>;

export interface LoadedSide {
  files: ResultsFile[];
  /** The path of each file, for error messages. */
  sources: string[];
}

/**
 * Resolves the paths given for one side: a results file is one run, a folder
 * holds repeated runs (every `*.json` in it, in name order). Validation of
 * each file is the results loader's job; this only finds the files.
 */
export async function loadSide(paths: readonly string[], load: LoadResults, sideName: string): Promise<LoadedSide> {
  const sources: string[] = [];
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new CompareInputError(
        `${sideName} ${path} does not exist; pass a results file or a folder of repeated runs`,
      );
    }
    if (!isDirectory) {
      sources.push(path);
      continue;
    }
    const inFolder = readdirSync(path)
      .filter((name) => name.endsWith('.json'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((name) => join(path, name));
    if (inFolder.length === 0) throw new CompareInputError(`${sideName} folder ${path} holds no .json results files`);
    sources.push(...inFolder);
  }
  if (sources.length === 0) throw new CompareInputError(`no ${sideName} results given`);
  const files: ResultsFile[] = [];
  for (const source of sources) files.push(await load(source));
  return { files, sources };
}
