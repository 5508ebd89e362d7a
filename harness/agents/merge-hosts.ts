/**
 * One backend's result across several hosts: the merged totals come from
 * every host's worker intervals through the harness's own `summarize`, the
 * same merge a local run makes of its workers (histograms added, percentiles
 * read from the sums, never averaged); each host's own part is kept beside them.
 */
import { ACTIONS } from '../../scenarios/actions.js';
import type { MixAction } from '../../scenarios/scenario.js';
import type { BackendResult } from '../../results/results.js';
import { judgeErrors } from '../finish-result.js';
import { summarize, type WorkerIntervals } from '../summarize.js';
import type { StreamedInterval } from './agent-protocol.js';
import type { HostPart } from '../../results/host-part.js';

/** What the coordinator gathered from one host. */
export interface GatheredHost {
  part: Omit<HostPart, 'result'>;
  /** Every worker interval the host sent, finished runs and cut-short ones alike. */
  intervals: readonly StreamedInterval[];
  /** The host's own summary; absent when it stopped answering before it finished. */
  result: BackendResult | undefined;
  /** Why it has no result (it died or was unreachable). */
  failure?: string;
  /** Seconds it measured: its own figure, or for a host that died, from the shared measurement start to when it was last heard. */
  measuredSeconds: number;
  wallSeconds: number;
}

export function workersOf(intervals: readonly StreamedInterval[]): WorkerIntervals[] {
  const byWorker = new Map<number, StreamedInterval[]>();
  for (const interval of intervals) {
    if (!byWorker.has(interval.worker)) byWorker.set(interval.worker, []);
    byWorker.get(interval.worker)!.push(interval);
  }
  return [...byWorker.keys()].sort((a, b) => a - b).map((worker) => ({ intervals: byWorker.get(worker)! }));
}

/** A host's part: its own result, or, when it died, what its finished intervals held — partial as a crashed worker's. */
function partOf(host: GatheredHost, label: string, intervalSeconds: number): HostPart {
  if (host.result) return { ...host.part, result: host.result };
  const { actions, intervals } = summarize(workersOf(host.intervals), host.measuredSeconds, intervalSeconds);
  const any = Object.values(actions).some((a) => a.count > 0);
  return {
    ...host.part,
    result: {
      label,
      name: label,
      status: any ? 'partial' : 'errored',
      message: host.failure,
      wallSeconds: host.wallSeconds,
      actions,
      intervals,
    },
  };
}

export function mergeHosts(
  label: string,
  hosts: readonly GatheredHost[],
  intervalMs: number,
  measureStartSeconds: number | undefined,
): BackendResult {
  const intervalSeconds = intervalMs / 1000;
  const parts = hosts.map((h) => partOf(h, label, intervalSeconds));
  const measuredSeconds = Math.max(0, ...hosts.map((h) => h.measuredSeconds));
  const { actions, intervals } = summarize(
    hosts.flatMap((h) => workersOf(h.intervals)),
    measuredSeconds,
    intervalSeconds,
  );
  const first = parts.find((p) => p.result.description)?.result ?? parts[0]!.result;
  const merged: BackendResult = {
    label,
    name: first.name,
    status: 'completed',
    wallSeconds: Math.max(0, ...hosts.map((h) => h.wallSeconds)),
    actions,
    intervals,
    hosts: parts,
  };
  if (measureStartSeconds !== undefined) merged.measureStartSeconds = measureStartSeconds;
  if (first.description) merged.description = first.description;
  for (const [name, summary] of Object.entries(actions)) {
    const figures = ACTIONS[name as MixAction]?.metrics?.(summary);
    if (figures && Object.keys(figures).length > 0) merged.metrics = { ...merged.metrics, ...figures };
  }
  const failed = parts.filter((p) => p.result.status !== 'completed');
  if (failed.length === parts.length && failed.every((p) => p.result.status === 'unavailable')) {
    merged.status = 'unavailable';
    merged.message = failed[0]!.result.message;
  } else if (failed.length > 0) {
    // As a crashed worker makes a local run partial: what the other hosts measured still counts.
    merged.status = Object.values(actions).some((a) => a.count > 0) ? 'partial' : 'errored';
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more host${failed.length > 2 ? 's' : ''})` : '';
    merged.message = `${failed[0]!.agent}: ${failed[0]!.result.message ?? failed[0]!.result.status}${more}`;
  }
  judgeErrors(merged);
  return merged;
}
