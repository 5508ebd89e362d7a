import { CachebenchError } from '../shared/cachebench-error.js';

/** A results file that cannot be read or does not hold what it should; the message names the file, the field and the fix. */
export class ResultsFileError extends CachebenchError<'RESULTS_FILE'> {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super('RESULTS_FILE', `results file ${path}: ${problem}`);
  }
}
