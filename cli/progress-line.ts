import type { ProgressSnapshot } from '../harness/progress-report.js';
import { formatDuration } from '../shared/format-duration.js';

/**
 * A one-line live display on a TTY: backend, phase (preload, warm-up,
 * measuring), ops done, elapsed, current p99 per action. Silent when stderr
 * is not a terminal or with --quiet, so logs and CI output carry only the
 * summary.
 */
export class ProgressLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  static enabled(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
    return !quiet && stream.isTTY === true;
  }

  update(s: ProgressSnapshot): void {
    this.stream.write(`\r\x1b[2K${fitSegments(progressSegments(s), (this.stream.columns ?? 120) - 1)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}

/** The line's parts, most important first: a narrow terminal drops parts from the end, never half a figure. */
export function progressSegments(s: ProgressSnapshot): string[] {
  const count = (n: number): string => n.toLocaleString('en-US');
  const head = `${s.label}  ${s.phase}`;
  // Before measuring, no timed operation has been done yet: the phase is the news.
  if (s.phase !== 'measuring') return [`${head}…`];
  const done = s.totalOps === null ? `${count(s.ops)} ops` : `${count(s.ops)}/${count(s.totalOps)} ops`;
  const elapsed = `${s.elapsedSeconds.toFixed(1)}${s.durationSeconds === null ? '' : `/${s.durationSeconds}`} s`;
  const p99 = Object.entries(s.p99).map(
    ([action, ns], i) => `${i === 0 ? 'p99: ' : ''}${action} ${formatDuration(ns)}`,
  );
  return [head, done, elapsed, ...p99];
}

/** Whole parts joined by two spaces, as many as fit in `width` characters (the first is shortened only if it alone is too wide). */
export function fitSegments(segments: readonly string[], width: number): string {
  let line = '';
  for (const segment of segments) {
    const next = line === '' ? segment : `${line}  ${segment}`;
    if (next.length > width) break;
    line = next;
  }
  if (line === '' && segments.length > 0) line = `${segments[0]!.slice(0, Math.max(0, width - 1))}…`;
  return line;
}
