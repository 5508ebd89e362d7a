/** A results file that cannot be read or does not hold what it should; the message names the file, the field and the fix. */
export class ResultsFileError extends Error {
  readonly code = 'RESULTS_FILE';
  constructor(readonly path: string, problem: string) {
    super(`results file ${path}: ${problem}`);
    this.name = 'ResultsFileError';
  }
}
