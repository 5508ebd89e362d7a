/**
 * The standard normal distribution, to double precision in its tails too.
 *
 * The rank test's asymptotic p-value is the normal survival function, and it
 * is compared with scipy's `norm.sf` (test/compare/fixtures): a polynomial
 * approximation of erf with an absolute error of 1e-7 would be wrong by a
 * factor at z = 5, where the p-value itself is 3e-7. So erfc is computed
 * from a series (small arguments) or a continued fraction (large ones), both
 * to about 1e-15 relative.
 */

/** Φ(z), the standard normal distribution function. */
export function standardNormalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** 1 − Φ(z), without the cancellation of computing it as a difference. */
export function standardNormalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Below this |x| the series for erf is used; above it, the continued fraction for erfc. */
const SERIES_LIMIT = 2;

/** The complementary error function, erfc(x) = 1 − erf(x). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < SERIES_LIMIT) return 1 - erfSeries(x);
  if (x > 27) return 0; // erfc(27) < 1e-318: below the smallest double
  return erfcContinuedFraction(x);
}

// erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): every term positive, so no cancellation.
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-x2) * sum;
}

// erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated by the modified Lentz method.
function erfcContinuedFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
