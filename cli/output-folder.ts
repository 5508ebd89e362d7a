import { OutputLocationError, prepareDirectory, prepareFileLocation } from '../shared/output-location.js';
import { CompareInputError } from '../compare/errors.js';

/**
 * The folders compare, calibrate and `baseline save` write into, made one
 * level at a time by shared/output-location.ts (Node's recursive mkdir spins
 * forever under /proc), a problem reported as compare's one-line input error.
 */
export async function prepareFolderOption(option: string, dir: string): Promise<void> {
  await asInputError(option, dir, () => prepareDirectory(dir));
}

/** The folder of a file about to be written (`baseline save --file`). */
export async function prepareFileOption(option: string, path: string): Promise<void> {
  await asInputError(option, path, () => prepareFileLocation(path));
}

async function asInputError(option: string, path: string, prepare: () => Promise<unknown>): Promise<void> {
  try {
    await prepare();
  } catch (error) {
    if (error instanceof OutputLocationError) throw new CompareInputError(`${option} ${path}: ${error.message}`);
    throw error;
  }
}
