/**
 * The sweep's live display: a cli-progress bar with run i/N, the combination
 * being measured and the time left (mean run time so far × runs left; our own
 * estimate, because cli-progress's counts the resumed runs as instant).
 * Silent off a terminal and with --quiet, so logs carry only the summary.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { SweepProgress } from './run-sweep.js';

export class SweepProgressBar {
  private readonly bar: SingleBar;
  private started = false;

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.bar = new SingleBar(
      {
        stream,
        format:
          'sweep {bar} run {value}/{total} · combination {combination}/{combinations} {label} (repeat {repeat}) · {left}',
        hideCursor: true,
        clearOnComplete: true,
        barsize: 24,
      },
      Presets.shades_classic,
    );
  }

  static enabled(quiet: boolean, stream: NodeJS.WriteStream = process.stderr): boolean {
    return !quiet && stream.isTTY === true;
  }

  update(progress: SweepProgress, combinations: number): void {
    const payload = {
      combination: progress.combination.index + 1,
      combinations,
      label: progress.combination.label,
      repeat: progress.run.repeat,
      left: progress.etaSeconds === null ? 'estimating time left' : `~${formatSeconds(progress.etaSeconds)} left`,
    };
    // The bar counts the run in progress, so "run 3/36" means the third is running.
    const value = Math.min(progress.done + 1, progress.total);
    if (!this.started) {
      this.bar.start(progress.total, value, payload);
      this.started = true;
    } else {
      this.bar.update(value, payload);
    }
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
