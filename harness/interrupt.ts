/**
 * Ctrl-C during a run (cli/run-execute.ts aborts an AbortSignal): the backend
 * that was running is stopped and recorded as interrupted, and what it leaves
 * on disk is removed even if a second Ctrl-C ends the process at once.
 */
import { rmSync } from 'node:fs';
import type { BackendResult } from '../results/results.js';

export const INTERRUPTED = 'interrupted';

/**
 * A backend stopped by the user: `partial` when it measured something (its
 * finished intervals are kept), `errored` when not, message "interrupted".
 * Worker deaths the interrupt caused are not failures of the backend, so the
 * message does not list them.
 */
export function markInterrupted(result: BackendResult): BackendResult {
  if (result.status === 'unavailable') return result;
  const measured = Object.values(result.actions).some((a) => a.count > 0);
  return { ...result, status: measured ? 'partial' : 'errored', message: INTERRUPTED };
}

const pending = new Set<string>();

function removeAll(): void {
  // 'exit' handlers must be synchronous; a process ending mid-run still leaves no temp folder behind.
  for (const dir of pending) rmSync(dir, { recursive: true, force: true });
  pending.clear();
}

/** Removes `dir` if the process exits before the returned function is called (the normal path removes it itself). */
export function removeOnExit(dir: string): () => void {
  if (pending.size === 0) process.on('exit', removeAll);
  pending.add(dir);
  return () => {
    pending.delete(dir);
    if (pending.size === 0) process.off('exit', removeAll);
  };
}
