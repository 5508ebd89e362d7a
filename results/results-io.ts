import { readFile, writeFile } from 'node:fs/promises';
import { prepareFileLocation } from '../shared/output-location.js';
import { ResultsFileError } from './results-file-error.js';
import type { ResultsFile } from './results.js';
import { validateResults } from './validate-results.js';

export { ResultsFileError, validateResults };

export async function writeResults(path: string, results: ResultsFile): Promise<void> {
  await prepareFileLocation(path);
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** Reads and validates a results file (validate-results.ts); errors name the file and the problem. */
export async function loadResults(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ResultsFileError(
      path,
      `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message may span lines (it quotes the text); the CLI prints one.
    throw new ResultsFileError(path, `not JSON (${(error as Error).message.replace(/\s*\n\s*/g, ' ')})`);
  }
  return validateResults(value, path);
}
