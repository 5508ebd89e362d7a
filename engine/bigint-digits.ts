/**
 * The most decimal digits a bigint key or value may have. The engine stores a
 * bigint as its decimal text, and V8's bigint-to-decimal conversion is
 * superlinear: 1,000,000 digits take ~250 ms on a 2-core machine, while a
 * bigint of 2^30 bits (~323 million digits) takes ~24 minutes — a call that
 * looks hung. Larger numbers are refused before any conversion; store them as
 * a Buffer of their bytes or as a string instead.
 */
export const MAX_BIGINT_DIGITS = 1_000_000;

/** 10^MAX_BIGINT_DIGITS, the smallest magnitude with one digit too many; computed on first need (~40 ms). */
let firstTooLarge: bigint | undefined;

/**
 * True when `n` has more than MAX_BIGINT_DIGITS decimal digits, decided by one
 * comparison of magnitudes, never by converting `n`. Bigints inside ±1e300 (every
 * everyday number) answer without computing the bound.
 */
export function hasTooManyDigits(n: bigint): boolean {
  if (n < 1e300 && n > -1e300) return false;
  firstTooLarge ??= 10n ** BigInt(MAX_BIGINT_DIGITS);
  return (n < 0n ? -n : n) >= firstTooLarge;
}

/** What to say about such a bigint: the problem and the fix. */
export function tooManyDigitsDetail(): string {
  return (
    `a bigint of more than ${MAX_BIGINT_DIGITS} decimal digits would take seconds to minutes to convert to the ` +
    'decimal text it is stored as; store it as a Buffer of its bytes, or as a string'
  );
}
