import { encodeHistogram, type Histogram } from '../results/histogram.js';
import { clampNs, createHistogram } from './recording-histogram.js';
import type { ActionPayload } from './protocol.js';

const MAX_ERROR_MESSAGES = 5;

/** One action's figures within the current interval. */
class ActionStats {
  count = 0;
  misses = 0;
  timeouts = 0;
  errors = 0;
  totalNs = 0;
  errorMessages: string[] = [];
  readonly histogram: Histogram = createHistogram();
  readonly service: Histogram | undefined;

  constructor(openLoop: boolean) {
    this.service = openLoop ? createHistogram() : undefined;
  }

  drain(): ActionPayload {
    const payload: ActionPayload = {
      count: this.count,
      misses: this.misses,
      timeouts: this.timeouts,
      errors: this.errors,
      errorMessages: this.errorMessages,
      totalNs: this.totalNs,
      histogram: encodeHistogram(this.histogram),
    };
    if (this.service) payload.serviceHistogram = encodeHistogram(this.service);
    this.count = this.misses = this.timeouts = this.errors = this.totalNs = 0;
    this.errorMessages = [];
    this.histogram.reset();
    this.service?.reset();
    return payload;
  }

  destroy(): void {
    this.histogram.destroy();
    this.service?.destroy();
  }
}

/**
 * A worker's per-action recording for the current interval. The parent gets
 * every interval and builds the totals by adding them, so a worker that dies
 * mid-run still leaves every interval it completed.
 */
export class IntervalRecorder {
  private readonly stats = new Map<string, ActionStats>();
  /** Error messages already sent, so each distinct one travels once. */
  private readonly seenMessages = new Set<string>();

  constructor(private readonly openLoop: boolean) {}

  private of(action: string): ActionStats {
    let stats = this.stats.get(action);
    if (!stats) {
      stats = new ActionStats(this.openLoop);
      this.stats.set(action, stats);
    }
    return stats;
  }

  /** An answered operation; `serviceNs` only in open loop. */
  record(action: string, latencyNs: number, miss: boolean, serviceNs = 0): void {
    const stats = this.of(action);
    stats.count++;
    if (miss) stats.misses++;
    stats.totalNs += latencyNs;
    stats.histogram.recordValue(clampNs(latencyNs));
    if (stats.service) stats.service.recordValue(clampNs(serviceNs));
  }

  /**
   * A timed-out operation: an answer like any other (the caller waited for
   * it), so it is timed and counted in `count`, and a miss where the action
   * can miss (see answer-counts.ts); it is also counted as a timeout.
   */
  timedOut(action: string, latencyNs: number, miss: boolean, serviceNs = 0): void {
    this.record(action, latencyNs, miss, serviceNs);
    this.of(action).timeouts++;
  }

  error(action: string, message: string): void {
    const stats = this.of(action);
    stats.errors++;
    if (
      this.seenMessages.size < MAX_ERROR_MESSAGES * 4 &&
      !this.seenMessages.has(message) &&
      stats.errorMessages.length < MAX_ERROR_MESSAGES
    ) {
      this.seenMessages.add(message);
      stats.errorMessages.push(message);
    }
  }

  /** The interval's figures for every action that did anything; resets for the next interval. */
  drain(): Record<string, ActionPayload> {
    const out: Record<string, ActionPayload> = {};
    for (const [action, stats] of this.stats) {
      if (stats.count + stats.timeouts + stats.errors === 0) continue;
      out[action] = stats.drain();
    }
    return out;
  }

  destroy(): void {
    for (const stats of this.stats.values()) stats.destroy();
    this.stats.clear();
  }
}
