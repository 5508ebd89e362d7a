/**
 * Typed errors of `cachebench sweep`. `GRID` and `APPLY_TARGET` are mistakes
 * in what the user typed (the CLI turns them into one line and exit 2);
 * `SWEEP_MISMATCH` protects a sweep folder from being mixed with another sweep;
 * `NO_RESULT`: the runs ended, but none gave a value of the objective to rank.
 */
import { CachebenchError } from '../shared/cachebench-error.js';
export type SweepErrorCode =
  | 'GRID'
  | 'OBJECTIVE'
  | 'SWEEP_MISMATCH'
  | 'SWEEP_STATE'
  | 'APPLY_TARGET'
  | 'APPLY_DURABILITY'
  | 'OUT_DIR'
  | 'NO_RESULT';

export class SweepError extends CachebenchError<SweepErrorCode> {
  /** `detail`: the problem without the prefix naming where it is (a grid axis), for callers that re-word the line. */
  constructor(
    code: SweepErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(code, message);
  }
}

/** The problem an error states, without the prefix naming where: its `detail` field when it has one, else its message. */
export function errorDetail(error: unknown): string {
  const detail = (error as { detail?: unknown }).detail;
  return typeof detail === 'string' ? detail : (error as Error).message;
}

/** The error codes that mean "fix your arguments" rather than "something broke". */
export const SWEEP_ARGUMENT_CODES: ReadonlySet<string> = new Set([
  'GRID',
  'OBJECTIVE',
  'SWEEP_MISMATCH',
  'APPLY_TARGET',
  'APPLY_DURABILITY',
  'OUT_DIR',
]);
