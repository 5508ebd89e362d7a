import type { ProgressSnapshot } from '../harness/run-backend.js';
import { formatNs } from './format-summary.js';

/**
 * A one-line live display on a TTY: ops done, elapsed, current p99 per
 * action. Silent when stderr is not a terminal or with --quiet, so logs and
 * CI output carry only the summary.
 */
export class ProgressLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  static enabled(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
    return !quiet && stream.isTTY === true;
  }

  update(s: ProgressSnapshot): void {
    const done = s.totalOps === null ? `${s.ops.toLocaleString('en-US')} ops` : `${s.ops.toLocaleString('en-US')}/${s.totalOps.toLocaleString('en-US')} ops`;
    const elapsed = `${s.elapsedSeconds.toFixed(1)}${s.durationSeconds === null ? '' : `/${s.durationSeconds}`} s`;
    const p99 = Object.entries(s.p99).map(([action, ns]) => `${action} ${formatNs(ns)}`).join('  ');
    const text = `${s.label}  ${done}  ${elapsed}${p99 ? `  p99: ${p99}` : ''}`;
    const width = this.stream.columns ?? 120;
    this.stream.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
