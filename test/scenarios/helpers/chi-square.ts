/**
 * Pearson's chi-square test that two samples of counts over the same bins come from one
 * distribution (test of homogeneity, unequal sample sizes). Bins too thin for the chi-square
 * approximation (an expected count below 5 in either sample) are pooled into one.
 */
export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

export function chiSquareHomogeneity(a: readonly number[], b: readonly number[]): ChiSquareResult {
  if (a.length !== b.length) throw new RangeError(`bin counts differ: ${a.length} and ${b.length}`);
  const totalA = a.reduce((s, x) => s + x, 0);
  const totalB = b.reduce((s, x) => s + x, 0);
  const total = totalA + totalB;
  const bins: [number, number][] = [];
  let pooled: [number, number] = [0, 0];
  for (let i = 0; i < a.length; i++) {
    const both = a[i]! + b[i]!;
    // Expected counts under one shared distribution: both × share of each sample.
    if ((both * Math.min(totalA, totalB)) / total < 5) pooled = [pooled[0] + a[i]!, pooled[1] + b[i]!];
    else bins.push([a[i]!, b[i]!]);
  }
  if (pooled[0] + pooled[1] > 0) bins.push(pooled);
  const ka = Math.sqrt(totalB / totalA);
  const kb = Math.sqrt(totalA / totalB);
  let statistic = 0;
  for (const [x, y] of bins) statistic += (ka * x - kb * y) ** 2 / (x + y);
  const degreesOfFreedom = bins.length - 1;
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}

/** P(X ≥ x) for X ~ χ²(k): the regularized upper incomplete gamma Q(k/2, x/2). */
export function chiSquareSurvival(x: number, k: number): number {
  if (x <= 0) return 1;
  return upperGammaRegularized(k / 2, x / 2);
}

// Numerical Recipes' approach: the series for x < a + 1, Lentz's continued fraction otherwise.
function upperGammaRegularized(a: number, x: number): number {
  const logPrefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000 && Math.abs(term) > Math.abs(sum) * 1e-15; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * Math.exp(logPrefix);
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return Math.exp(logPrefix) * h;
}

// Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for a > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

function logGamma(a: number): number {
  if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a);
  const z = a - 1;
  let x = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) x += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
}
