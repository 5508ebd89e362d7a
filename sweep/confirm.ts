/**
 * The confirmation round: after the grid, fresh runs of the best
 * configuration and of the defaults only, alternating, with seeds the grid
 * never used. The grid picked the best, so its own repeats are biased in
 * the best's favour (the luckiest of k looks better than it is); runs made
 * after the pick are not, and one test on them is valid at the plain level.
 *
 * Files are `runs/confirm-c<combination>-r<n>.json`; a re-run of the same
 * command finds them and runs only what is missing, like the grid's runs.
 */
import { join } from 'node:path';
import type { ResultsFile } from '../results/results.js';
import { evaluateObjective, type Objective } from './objective.js';
import type { Combination, SweepPlan } from './plan.js';
import type { Confirmation, Recommendation } from './recommend.js';
import { executeRun, loadIfDone } from './run-sweep.js';

export { DEFAULT_CONFIRM } from './sweep-defaults.js';

export interface ConfirmationRun {
  id: string;
  combination: number;
  repeat: number;
  seed: number;
}

/** The runs to make: for each recommendation whose best is not the defaults, `count` of the best and `count` of the defaults. */
export function confirmationRuns(
  plan: SweepPlan,
  recommendations: readonly Recommendation[],
  count: number,
): ConfirmationRun[] {
  const runs: ConfirmationRun[] = [];
  for (const r of recommendations) {
    if (count === 0 || r.reference === null || r.best.index === r.reference.index) continue;
    for (let n = 1; n <= count; n++) {
      // Seeds past the grid's (seed … seed + repeat − 1): fresh operations. Best and defaults share each seed (paired), alternating in time.
      const seed = (plan.seed + plan.repeat + n - 1) >>> 0;
      for (const combination of [r.best.index, r.reference.index])
        runs.push({ id: confirmationId(combination, n), combination, repeat: n, seed });
    }
  }
  return runs;
}

export function confirmationId(combination: number, repeat: number): string {
  return `confirm-c${String(combination).padStart(3, '0')}-r${repeat}`;
}

/**
 * Runs the confirmation round (resuming files already there); results by run
 * id. `interrupted`: `signal` stopped it before every run was made.
 */
export async function runConfirmations(
  plan: SweepPlan,
  runs: readonly ConfirmationRun[],
  outDir: string,
  options: { onRunStart?: (done: number, total: number, combination: Combination) => void; signal?: AbortSignal } = {},
): Promise<{ results: Map<string, ResultsFile>; interrupted: boolean }> {
  const results = new Map<string, ResultsFile>();
  for (const run of runs) {
    const path = join(outDir, 'runs', `${run.id}.json`);
    const combination = plan.combinations[run.combination]!;
    const done = await loadIfDone(path);
    if (done) {
      results.set(run.id, done);
      continue;
    }
    if (options.signal?.aborted) return { results, interrupted: true };
    options.onRunStart?.(results.size, runs.length, combination);
    const file = await executeRun(plan, combination, run, path, { signal: options.signal });
    if (!file) return { results, interrupted: true };
    results.set(run.id, file);
  }
  return { results, interrupted: false };
}

/** The confirmation values of one recommendation's best and defaults, when the round ran for it. */
export function confirmationFor(
  best: number,
  reference: number,
  results: ReadonlyMap<string, ResultsFile>,
  objective: Objective,
): Confirmation | undefined {
  const values = (combination: number): number[] => {
    const out: number[] = [];
    for (let n = 1; results.has(confirmationId(combination, n)); n++) {
      const backend = results.get(confirmationId(combination, n))!.backends[0];
      const value = backend?.status === 'completed' ? evaluateObjective(objective, backend) : undefined;
      if (value !== undefined) out.push(value);
    }
    return out;
  };
  const bestValues = values(best);
  const referenceValues = values(reference);
  return bestValues.length === 0 && referenceValues.length === 0
    ? undefined
    : { index: best, best: bestValues, reference: referenceValues };
}
