/**
 * Errors raised by `cachebench compare` and `cachebench baseline`. The CLI turns
 * each into one line and exit code 2 ("bad input"), distinct from exit 1, which
 * means the comparison ran and found a regression.
 */

/** A results file or baseline that cannot be compared: malformed, or not like-for-like with the other side. */
export class CompareInputError extends Error {
  readonly code = 'COMPARE_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'CompareInputError';
  }
}

/** A `--fail-on` rule that does not parse or matches nothing in the results. */
export class ThresholdError extends Error {
  readonly code = 'COMPARE_THRESHOLD';
  constructor(message: string) {
    super(message);
    this.name = 'ThresholdError';
  }
}
