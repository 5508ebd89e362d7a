import {
  createMergeHistogram,
  decodeHistogram,
  encodeHistogram,
  percentilesOf,
  type Histogram,
} from '../results/histogram.js';
import type { ActionPayload } from './protocol.js';
import type { ActionResult, IntervalSample } from '../results/results.js';

const MAX_ERROR_MESSAGES = 5;

/** A worker payload's counts, with its encoded histograms replaced by the decoded sums. */
interface Accumulator extends Omit<ActionPayload, 'histogram' | 'serviceHistogram'> {
  histogram: Histogram;
  service: Histogram | undefined;
}

function accumulator(): Accumulator {
  return {
    count: 0,
    misses: 0,
    timeouts: 0,
    errors: 0,
    errorMessages: [],
    totalNs: 0,
    histogram: createMergeHistogram(),
    service: undefined,
  };
}

function absorb(into: Accumulator, payload: ActionPayload): void {
  into.count += payload.count;
  into.misses += payload.misses;
  into.timeouts += payload.timeouts;
  into.errors += payload.errors;
  into.totalNs += payload.totalNs;
  for (const message of payload.errorMessages) {
    if (into.errorMessages.length < MAX_ERROR_MESSAGES && !into.errorMessages.includes(message))
      into.errorMessages.push(message);
  }
  into.histogram.add(decodeHistogram(payload.histogram));
  if (payload.serviceHistogram !== undefined) {
    into.service ??= createMergeHistogram();
    into.service.add(decodeHistogram(payload.serviceHistogram));
  }
}

export interface WorkerIntervals {
  intervals: readonly { index: number; actions: Record<string, ActionPayload> }[];
}

/**
 * Adds every worker's interval histograms into per-action totals and a
 * per-second series. Percentiles come from the merged histograms — never
 * averaged across workers. `measuredSeconds` runs from the measurement start
 * (the second barrier, where interval 0 begins) to the last worker's end: the
 * throughput's denominator and the end of the last interval.
 */
export function summarize(
  workers: readonly WorkerIntervals[],
  measuredSeconds: number,
  intervalSeconds: number,
): { actions: Record<string, ActionResult>; intervals: IntervalSample[] } {
  const totals = new Map<string, Accumulator>();
  const byIndex = new Map<number, Map<string, Accumulator>>();
  for (const worker of workers) {
    for (const interval of worker.intervals) {
      let slot = byIndex.get(interval.index);
      if (!slot) byIndex.set(interval.index, (slot = new Map()));
      for (const [action, payload] of Object.entries(interval.actions)) {
        if (!totals.has(action)) totals.set(action, accumulator());
        absorb(totals.get(action)!, payload);
        if (!slot.has(action)) slot.set(action, accumulator());
        absorb(slot.get(action)!, payload);
      }
    }
  }
  const actions: Record<string, ActionResult> = {};
  for (const [action, acc] of totals) {
    const result: ActionResult = {
      count: acc.count,
      misses: acc.misses,
      timeouts: acc.timeouts,
      errors: acc.errors,
      errorMessages: acc.errorMessages,
      percentiles: percentilesOf(acc.histogram),
      totalNs: acc.totalNs,
      throughput: measuredSeconds > 0 ? acc.count / measuredSeconds : 0,
      histogram: encodeHistogram(acc.histogram),
    };
    if (acc.service)
      result.serviceTime = { percentiles: percentilesOf(acc.service), histogram: encodeHistogram(acc.service) };
    actions[action] = result;
  }
  const intervals: IntervalSample[] = [...byIndex.keys()]
    .sort((a, b) => a - b)
    .map((index) => {
      const start = index * intervalSeconds;
      const sample: IntervalSample = {
        start,
        seconds: Math.max(0, Math.min(intervalSeconds, measuredSeconds - start)),
        actions: {},
      };
      for (const [action, acc] of byIndex.get(index)!) {
        sample.actions[action] = {
          count: acc.count,
          p50: acc.histogram.getValueAtPercentile(50),
          p99: acc.histogram.getValueAtPercentile(99),
          max: acc.histogram.maxValue,
          histogram: encodeHistogram(acc.histogram),
          // Failed operations are never in the histogram; kept per interval so a plot shows when they happened.
          ...(acc.errors > 0 ? { errors: acc.errors } : {}),
        };
      }
      return sample;
    });
  return { actions, intervals };
}

/** Live p99 per action from the most recent interval any worker reported. */
export function latestP99(workers: readonly WorkerIntervals[]): Record<string, number> {
  let latest = -1;
  for (const w of workers) for (const i of w.intervals) latest = Math.max(latest, i.index);
  const merged = new Map<string, Histogram>();
  for (const w of workers) {
    for (const i of w.intervals) {
      if (i.index !== latest) continue;
      for (const [action, payload] of Object.entries(i.actions)) {
        if (!merged.has(action)) merged.set(action, createMergeHistogram());
        merged.get(action)!.add(decodeHistogram(payload.histogram));
      }
    }
  }
  return Object.fromEntries([...merged].map(([action, h]) => [action, h.getValueAtPercentile(99)]));
}
