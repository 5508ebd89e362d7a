/**
 * Why `cachebench merge` refused its input: the message names the files, the
 * field that differs and the fix; the CLI prints it as one line.
 */
import { CachebenchError } from '../shared/cachebench-error.js';

export type MergeErrorCode = 'MERGE_MISMATCH' | 'MERGE_DUPLICATE' | 'NO_INPUT';

export class MergeError extends CachebenchError<MergeErrorCode> {}
