/**
 * Errors the report and merge code throws on bad input. Each message names the
 * problem and the fix; the CLI prints it as one line and exits with code 2.
 */
export type ReportErrorCode =
  | 'MERGE_MISMATCH'
  | 'MERGE_DUPLICATE'
  | 'HISTOGRAM_INVALID'
  | 'NO_INPUT'
  | 'RENDER_FAILED';

export class ReportError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}
