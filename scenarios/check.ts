import type { Scenario } from './scenario.js';
import type { Tally } from './action.js';

/** What a check may do to the store once every worker has stopped. */
export interface CheckStore {
  /** Pops every key, one after another; answers the values found (a key with none adds nothing). */
  popAll(keys: readonly string[]): Promise<unknown[]>;
}

/** One worker's figures: its tally from the run, and what its `finalize` answered (none if it failed first). */
export interface WorkerFigures {
  tally: Tally;
  final: Record<string, number> | undefined;
}

/** A check that failed: the run's status and a one-line message. */
export interface CheckFailure {
  status: 'partial' | 'errored';
  message: string;
}

/**
 * A post-run check a scenario declares by name (`check`). After every worker
 * has stopped, the harness has each surviving worker `finalize` against its
 * store, then turns all workers' figures into the result's `metrics` and asks
 * whether they show a failure. The harness knows no check by name.
 */
export interface ScenarioCheck {
  name: string;
  /** In each worker, after all have stopped (e.g. drain what is left); the figures go to `metrics`. */
  finalize(store: CheckStore, scenario: Scenario): Promise<Record<string, number>>;
  /** In the parent: the run's figures from every worker's (failed ones included). */
  metrics(workers: readonly WorkerFigures[]): Record<string, number | string | boolean>;
  /** A failure the figures show, or undefined; `timeouts` is the run's timed-out operations, which may explain one. */
  failure(metrics: Record<string, number | string | boolean>, timeouts: number): CheckFailure | undefined;
}
