import type { RunParameters } from '../results/results.js';
import { latestP99 } from './summarize.js';
import type { WorkerHandle } from './worker-handle.js';

/** What the progress display shows while a backend runs. */
export interface ProgressSnapshot {
  label: string;
  /** What the workers are doing: opening and preloading the store, the untimed warm-up, or the timed operations. */
  phase: 'preload' | 'warm-up' | 'measuring';
  ops: number;
  /** Total measured ops expected, or null for a duration-bounded run. */
  totalOps: number | null;
  elapsedSeconds: number;
  durationSeconds: number | null;
  p99: Record<string, number>;
}

/** Progress snapshots every 250 ms (or each interval, if shorter) while the workers run, and a last one at stop. */
export function reportProgress(
  handles: WorkerHandle[],
  options: { run: RunParameters; choice: { label: string }; onProgress?: (snapshot: ProgressSnapshot) => void },
  intervalMs: number,
  measureAt: () => bigint | undefined,
): { stop(): void } {
  const { run } = options;
  if (!options.onProgress) return { stop: () => {} };
  const totalOps = run.ops === null ? null : run.ops * run.procs;
  const report = (): void => {
    const since = measureAt();
    options.onProgress?.({
      label: options.choice.label,
      phase: since === undefined ? 'warm-up' : 'measuring',
      ops: handles.reduce((sum, h) => sum + h.ops, 0),
      totalOps,
      // Measured time: 0 while the workers warm up.
      elapsedSeconds: since === undefined ? 0 : Math.max(0, Number(process.hrtime.bigint() - since) / 1e9),
      durationSeconds: run.durationSeconds,
      p99: latestP99(handles),
    });
  };
  const timer = setInterval(report, Math.min(250, intervalMs));
  return {
    stop: () => {
      clearInterval(timer);
      report();
    },
  };
}
