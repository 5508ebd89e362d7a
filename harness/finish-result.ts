import type { BackendDescription } from '../backends/backend.js';
import { ACTIONS } from '../scenarios/actions.js';
import type { ScenarioCheck } from '../scenarios/check.js';
import type { MixAction } from '../scenarios/scenario.js';
import { firstLine } from '../shared/first-line.js';
import type { BackendResult } from '../results/results.js';
import { summarize } from './summarize.js';
import type { WorkerHandle } from './worker-handle.js';

/**
 * One backend's result from its stopped workers: the merged histograms and intervals, the figures the
 * scenario's check, its actions and the workers' counters give, and the status their failures and errors earn.
 */
export function finishResult(
  base: BackendResult,
  handles: WorkerHandle[],
  barriers: { releaseNs: bigint; measureAtNs: bigint | undefined },
  intervalMs: number,
  description: BackendDescription | undefined,
  checked: { check: ScenarioCheck; metrics: Record<string, number | string | boolean> } | undefined,
): BackendResult {
  const { releaseNs } = barriers;
  const measureAtNs = barriers.measureAtNs ?? releaseNs;
  const ends = handles.map((h) => h.endNs ?? h.exitedAtNs ?? process.hrtime.bigint());
  const lastEnd = ends.reduce((a, b) => (a > b ? a : b));
  // Workers stopped (Ctrl-C) between the go message and the release instant ran for no time at all.
  const wallSeconds = Math.max(0, Number(lastEnd - releaseNs) / 1e9);
  // Every worker measures from the second barrier; a worker that died after it may end before it.
  const measuredSeconds = Math.max(0, Number(lastEnd - measureAtNs) / 1e9);
  const { actions, intervals } = summarize(handles, measuredSeconds, intervalMs / 1000);
  const failures = handles.filter((h) => h.failure !== undefined);
  const result: BackendResult = { ...base, wallSeconds, actions, intervals };
  if (barriers.measureAtNs !== undefined) result.measureStartSeconds = round6(Number(measureAtNs - releaseNs) / 1e9);
  if (description) result.description = description;
  if (checked) result.metrics = checked.metrics;
  // Figures the actions declare from their own summaries (e.g. a crawler's pages/s).
  for (const [name, summary] of Object.entries(actions)) {
    const figures = ACTIONS[name as MixAction]?.metrics?.(summary);
    if (figures && Object.keys(figures).length > 0) result.metrics = { ...result.metrics, ...figures };
  }
  // Then what the workers counted over their measured operations (the backend's own counters, such as the
  // engine's lock waits or a cluster's redirections, and context switches): why a tail is long.
  const counters = sumCounters(handles);
  if (Object.keys(counters).length > 0) result.metrics = { ...result.metrics, ...counters };
  if (failures.length > 0) {
    const any = Object.values(actions).some((a) => a.count > 0);
    result.status = any ? 'partial' : 'errored';
    const more =
      failures.length > 1 ? ` (and ${failures.length - 1} more worker${failures.length > 2 ? 's' : ''})` : '';
    result.message = `${failures[0]!.failure}${more}`;
  } else if (checked) {
    const timeouts = Object.values(actions).reduce((s, a) => s + a.timeouts, 0);
    const failed = checked.check.failure(checked.metrics, timeouts);
    if (failed) {
      result.status = failed.status;
      result.message = failed.message;
    }
  }
  judgeErrors(result);
  return result;
}

/** The workers' counters over their measured operations (backend counters, context switches), summed. */
function sumCounters(handles: WorkerHandle[]): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const handle of handles) {
    for (const [key, value] of Object.entries(handle.counters)) sums[key] = (sums[key] ?? 0) + value;
  }
  return sums;
}

/**
 * Failed operations fail the backend (docs/measurement.md, "When a run fails"):
 * any error makes it `partial`, errors and no answer at all make it
 * `errored`. Timeouts are answers (a miss) and do not fail it (a store's
 * lock timeout is a measured outcome). A worse status set earlier is kept, and the
 * error count is added to its message.
 */
export function judgeErrors(result: BackendResult): void {
  const actions = Object.values(result.actions);
  const errors = actions.reduce((s, a) => s + a.errors, 0);
  if (errors === 0) return;
  // `count` holds every answer, timeouts included (answer-counts.ts); errors are the rest.
  const attempted = actions.reduce((s, a) => s + a.count + a.errors, 0);
  const answered = actions.reduce((s, a) => s + a.count, 0);
  const first = actions.find((a) => a.errorMessages.length > 0)?.errorMessages[0];
  const text = `${errors} of ${attempted} operations failed${first ? `: ${oneLine(first)}` : ''}`;
  const status = answered === 0 ? 'errored' : 'partial';
  if (result.status === 'completed') {
    result.status = status;
    result.message = text;
  } else {
    if (status === 'errored') result.status = 'errored';
    result.message = result.message ? `${result.message}; ${text}` : text;
  }
}

function round6(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

function oneLine(text: string): string {
  return firstLine(text).trim();
}
