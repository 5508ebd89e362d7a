/**
 * What an action's counts mean, in one place for every reader (reports,
 * compare, sweep), whichever harness wrote the file.
 *
 * A timed-out operation is an answer: the caller waited and got the store's
 * default, as python-diskcache's FanoutCache returns the default (get) or
 * False (set) when a shard stays locked. Files with `run.timeoutsTimed`
 * record it that way: in `count` and the histogram, in `misses` where the
 * action can miss, and in `timeouts`. Older files kept timeouts out of
 * `count`, `misses` and the histogram; their counts are brought to the
 * current meaning here. Their latencies cannot be: those waits were never
 * timed (docs/results-schema.md).
 */
import type { ActionResult, RunParameters } from './results.js';

export interface AnswerCounts {
  /** Operations that got an answer: hits, misses and timeouts. */
  answered: number;
  /** Answered operations plus errors. */
  attempted: number;
  /** Answers without a value (or a declined write), timeouts included where the action can miss. */
  misses: number;
  /** Answers the store gave up on (a subset of `answered`). */
  timeouts: number;
  /** Operations that threw anything but a timeout: not answers. */
  errors: number;
  /** misses / answered; 0 when nothing was answered. */
  missRate: number;
  /** timeouts / answered; 0 when nothing was answered. */
  timeoutRate: number;
  /** errors / attempted; 0 when nothing was attempted. */
  errorRate: number;
}

/**
 * Whether a timed-out `action` counts as a miss: it does wherever the action
 * can miss (the store's default answer is no value, or a write declined),
 * that is everywhere but `incr`, whose answer is a number and never a miss.
 */
export function timeoutIsMiss(action: string): boolean {
  return action !== 'incr';
}

/** Whether a results file's counts already hold timeouts as answers (see the module comment). */
export function timeoutsTimed(run: Pick<RunParameters, 'timeoutsTimed'>): boolean {
  return run.timeoutsTimed === true;
}

/** An action's counts and rates in the current meaning; `timed`: the file's `timeoutsTimed`. */
export function answerCounts(
  action: string,
  result: Pick<ActionResult, 'count' | 'misses' | 'timeouts' | 'errors'>,
  timed: boolean,
): AnswerCounts {
  const { timeouts, errors } = result;
  const answered = timed ? result.count : result.count + timeouts;
  const misses = timed || !timeoutIsMiss(action) ? result.misses : result.misses + timeouts;
  const attempted = answered + errors;
  return {
    answered,
    attempted,
    misses,
    timeouts,
    errors,
    missRate: answered > 0 ? misses / answered : 0,
    timeoutRate: answered > 0 ? timeouts / answered : 0,
    errorRate: attempted > 0 ? errors / attempted : 0,
  };
}
