/**
 * Errors the report and merge code throws on bad input. Each message names the
 * problem and the fix; the CLI prints it as one line and exits with code 2.
 * A histogram that cannot be decoded is harness/histogram.ts's HistogramError.
 */
import { CachebenchError } from '../shared/cachebench-error.js';
export type ReportErrorCode =
  | 'MERGE_MISMATCH'
  | 'MERGE_DUPLICATE'
  | 'NO_INPUT'
  | 'RENDER_FAILED'
  | 'BAD_REFERENCE';

export class ReportError extends CachebenchError<ReportErrorCode> {}
