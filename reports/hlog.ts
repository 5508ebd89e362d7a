/**
 * `.hlog` export: HdrHistogram's interval histogram log (format 1.3), one file
 * per series × action beside its `.hgrm`, for HistogramLogAnalyzer and for
 * Java's `HistogramLogReader` / `HistogramLogProcessor`.
 *
 * Each line is one interval of the results file's series: its start and length
 * in seconds, its max in milliseconds (what Java's writer prints by default),
 * and the interval's own histogram exactly as the harness encoded it
 * (nanoseconds, HdrHistogram V2 compressed, base64). Intervals in which the
 * action never ran are left out.
 *
 * Time: the harness records intervals relative to each backend's measurement
 * start and no absolute start per backend (backends run one after another, and
 * the file's `createdAt` is when the run began), so the log states
 * `#[BaseTime: 0.000 …]`: its timestamps are seconds since the measurement
 * start, not since the epoch. It writes no `#[StartTime: …]` it cannot vouch for.
 */
import type { IntervalSample } from '../results/results.js';

export const HLOG_FORMAT_VERSION = '1.3';
/** Interval_Max is printed in ms, the unit Java's HistogramLogWriter uses by default (histogram values stay ns). */
export const HLOG_MAX_UNIT_RATIO = 1_000_000;

export const HLOG_LEGEND = '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"';

export interface HlogHeader {
  /** Series label and action, for the comment line. */
  series: string;
  action: string;
  /** The results file's `createdAt`: when the run began. */
  runStartedAt: string;
}

const seconds = (value: number): string => value.toFixed(3);

/** The log text of one action of one series' intervals; null when no interval recorded the action. */
export function hlogText(intervals: readonly IntervalSample[], header: HlogHeader): string | null {
  const lines: string[] = [];
  for (const interval of intervals) {
    const sample = interval.actions[header.action];
    if (!sample || sample.count === 0) continue;
    lines.push(
      `${seconds(interval.start)},${seconds(interval.seconds)},${seconds(sample.max / HLOG_MAX_UNIT_RATIO)},${sample.histogram}`,
    );
  }
  if (lines.length === 0) return null;
  return [
    `#[Histogram log format version ${HLOG_FORMAT_VERSION}]`,
    `#[cachebench: ${header.series} ${header.action}; values in nanoseconds; run began ${header.runStartedAt}; timestamps are seconds since this backend's measurement start]`,
    '#[BaseTime: 0.000 (seconds since epoch)]',
    HLOG_LEGEND,
    ...lines,
    '',
  ].join('\n');
}
