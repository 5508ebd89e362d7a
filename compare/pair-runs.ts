import type { ResultsFile } from '../results/results.js';

/**
 * Pairs base and head runs by seed: run i of each side replayed the same
 * operations (`compare --base-checkout … --head-checkout …` runs them so, and
 * so do two `run --repeat` series given the same --seed). Returns head in the
 * order of its base partners, or undefined when the runs do not pair one to
 * one (different counts, a seed missing or repeated on a side).
 */
export function pairBySeed(base: readonly ResultsFile[], head: readonly ResultsFile[]): ResultsFile[] | undefined {
  if (base.length !== head.length || base.length === 0) return undefined;
  const headBySeed = new Map<number, ResultsFile>();
  for (const file of head) {
    if (headBySeed.has(file.run.seed)) return undefined;
    headBySeed.set(file.run.seed, file);
  }
  const paired: ResultsFile[] = [];
  const seen = new Set<number>();
  for (const file of base) {
    const partner = headBySeed.get(file.run.seed);
    if (!partner || seen.has(file.run.seed)) return undefined;
    seen.add(file.run.seed);
    paired.push(partner);
  }
  return paired;
}
