/**
 * Failed operations: errors and timeouts per backend × action, summed over
 * each side's runs. A head build whose sets fail fast looks faster on every
 * latency row, so the gate looks at failures first:
 *   - errors: any error in head where base had none fails the gate, and so
 *     does an error rate significantly higher than base's;
 *   - timeouts: a timeout rate significantly higher than base's fails it
 *     (timeouts are expected under some settings, so a first one alone does not).
 * "Significantly": a one-sided two-proportion z-test at the comparison's α
 * over the pooled operation counts. A timeout is an answer (a miss), so the
 * timeout rate is over answered operations; an error is not, so the error
 * rate is over attempted ones (results/answer-counts.ts, which also reads
 * files written before timeouts were timed).
 */
import { answerCounts, timeoutsTimed } from '../results/answer-counts.js';
import type { ResultsFile } from '../results/results.js';
import { standardNormalSf } from './normal-distribution.js';

export interface FailureCounts {
  /** Attempted operations: answered + errors. */
  count: number;
  /** Answered operations (hits, misses, timeouts): the timeout rate's denominator. */
  answered: number;
  errors: number;
  timeouts: number;
  /** errors / count. */
  errorRate: number;
  /** timeouts / answered. */
  timeoutRate: number;
}

export interface FailureRow {
  backend: string;
  action: string;
  base: FailureCounts;
  head: FailureCounts;
  /** Why this row fails the gate, or null. */
  failure: string | null;
}

export function failureRows(
  base: readonly ResultsFile[],
  head: readonly ResultsFile[],
  layout: ReadonlyMap<string, readonly string[]>,
  alpha: number,
): FailureRow[] {
  const rows: FailureRow[] = [];
  for (const [backend, actions] of layout) {
    for (const action of actions) {
      const b = counts(base, backend, action);
      const h = counts(head, backend, action);
      rows.push({ backend, action, base: b, head: h, failure: judge(b, h, alpha) });
    }
  }
  return rows;
}

function counts(files: readonly ResultsFile[], backend: string, action: string): FailureCounts {
  let count = 0;
  let answered = 0;
  let errors = 0;
  let timeouts = 0;
  for (const file of files) {
    const a = file.backends.find((x) => x.label === backend)?.actions[action];
    if (!a) continue;
    // Each file in its own meaning: a side may mix files from before and after timeouts were timed.
    const c = answerCounts(action, a, timeoutsTimed(file.run));
    count += c.attempted;
    answered += c.answered;
    errors += c.errors;
    timeouts += c.timeouts;
  }
  return {
    count,
    answered,
    errors,
    timeouts,
    errorRate: count > 0 ? errors / count : 0,
    timeoutRate: answered > 0 ? timeouts / answered : 0,
  };
}

function judge(base: FailureCounts, head: FailureCounts, alpha: number): string | null {
  if (head.errors > 0 && base.errors === 0)
    return `${head.errors} errors in head (${percent(head.errorRate)} of ${head.count} operations) where base had none`;
  if (head.errors > 0 && risesSignificantly(base.errors, base.count, head.errors, head.count, alpha)) {
    return `error rate rose from ${percent(base.errorRate)} to ${percent(head.errorRate)} (significant at α = ${alpha})`;
  }
  if (head.timeouts > 0 && risesSignificantly(base.timeouts, base.answered, head.timeouts, head.answered, alpha)) {
    return `timeout rate rose from ${percent(base.timeoutRate)} to ${percent(head.timeoutRate)} (significant at α = ${alpha})`;
  }
  return null;
}

/** One-sided pooled two-proportion z-test: is head's rate higher than base's? */
export function risesSignificantly(
  baseHits: number,
  baseTotal: number,
  headHits: number,
  headTotal: number,
  alpha: number,
): boolean {
  if (baseTotal === 0 || headTotal === 0) return false;
  const pooled = (baseHits + headHits) / (baseTotal + headTotal);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / baseTotal + 1 / headTotal));
  if (se === 0) return false;
  const z = (headHits / headTotal - baseHits / baseTotal) / se;
  return standardNormalSf(z) < alpha;
}

export function percent(rate: number): string {
  if (rate === 0) return '0%';
  const p = rate * 100;
  return `${p < 0.01 ? p.toExponential(1) : p < 1 ? p.toPrecision(2) : p.toFixed(1)}%`;
}
