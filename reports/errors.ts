/**
 * Errors the report code throws on bad input. Each message names the problem
 * and the fix; the CLI prints it as one line and exits with code 2. A
 * histogram that cannot be decoded is results/histogram.ts's HistogramError,
 * a refused merge results/merge-error.ts's MergeError.
 */
import { CachebenchError } from '../shared/cachebench-error.js';
export type ReportErrorCode = 'NO_INPUT' | 'RENDER_FAILED' | 'BAD_REFERENCE' | 'BAD_PERCENTILES' | 'BAD_EXPORT';

export class ReportError extends CachebenchError<ReportErrorCode> {}
