/**
 * Errors raised by `cachebench compare` and `cachebench baseline`. The CLI turns
 * each into one line and exit code 2 ("bad input"), distinct from exit 1, which
 * means the comparison ran and found a regression.
 */
import { CachebenchError } from '../shared/cachebench-error.js';

/** A results file or baseline that cannot be compared: malformed, or not like-for-like with the other side. */
export class CompareInputError extends CachebenchError<'COMPARE_INPUT'> {
  constructor(message: string) {
    super('COMPARE_INPUT', message);
  }
}

/** A `--fail-on` rule that does not parse or matches nothing in the results. */
export class ThresholdError extends CachebenchError<'COMPARE_THRESHOLD'> {
  constructor(message: string) {
    super('COMPARE_THRESHOLD', message);
  }
}
