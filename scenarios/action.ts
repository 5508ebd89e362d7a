import type { Backend } from '../backends/backend.js';
import type { Operation, Workload } from './workload.js';

/** Figures a worker keeps while it runs (e.g. increments issued), summed by a scenario check after the run. */
export type Tally = Record<string, number>;

/** What an action's bookkeeping may touch in the worker that ran it. */
export interface ActionContext {
  /** The worker's operation stream (a crawl grows its frontier here). */
  workload: Workload;
  /** The worker's tally, sent to the parent when it finishes. */
  tally: Tally;
}

/** An action's measured figures over the run, as the harness summarises them. */
export interface ActionFigures {
  /** Answers, timeouts included. */
  count: number;
  misses: number;
  timeouts: number;
  /** Answers per second over the measured time. */
  throughput: number;
}

/**
 * How one mix action runs against a Backend. The harness times `perform` and
 * nothing else, asks `isMiss` of its result, and hands answered results to
 * `after` (warm-up included); it never asks which action or scenario it runs.
 */
export interface ActionDefinition {
  /** Issues the operation; answers the store's raw result, or a promise of it for an async store. */
  perform(backend: Backend, op: Operation): unknown;
  /** Whether an answered result counts as a miss. */
  isMiss(result: unknown): boolean;
  /** Bookkeeping after an answered operation (not a timeout or an error), outside the timed region. */
  after?(result: unknown, context: ActionContext): void;
  /** Scenario figures derived from this action's summary (added to the result's `metrics` when it ran). */
  metrics?(figures: ActionFigures): Record<string, number>;
}
