/**
 * A worker process's side of the IPC channel to its parent (run-backend.ts),
 * shared by the TypeScript worker (worker.ts) and the foreign worker
 * (foreign/foreign-worker.ts): the parent cannot tell them apart, so they take
 * its messages, report failures and leave the same way.
 */
import { firstLine } from '../shared/first-line.js';
import type { ParentMessage, WorkerConfig, WorkerMessage } from './protocol.js';

export interface WorkerSteps {
  init(config: WorkerConfig): Promise<void>;
  /** The first barrier: start at `startAtNs`, warm up, wait for `measureBarrier`, measure. */
  go(startAtNs: bigint): Promise<void>;
  finalize(): Promise<void>;
  /** Closes what the worker opened and leaves with code 0. */
  exit(): Promise<void>;
  /** Stops what must not outlive the worker (a foreign worker's child) when it fails or loses its parent. */
  release?(): void;
}

export function sendToParent(message: WorkerMessage): void {
  process.send?.(message);
}

let measureAt: ((atNs: bigint) => void) | undefined;
/** Resolved by the parent's `measure` message (the second barrier) with the instant every worker starts measuring. */
export const measureBarrier = new Promise<bigint>((resolve) => (measureAt = resolve));

/** Runs each parent message's step; a step that throws reports `failed` and ends the process. */
export function serveParent(steps: WorkerSteps): void {
  let worker: number | undefined;
  const failed = (error: unknown): void => {
    const message = error instanceof Error ? firstLine(error.message) : String(error);
    sendToParent({ type: 'failed', message: `worker ${worker ?? '?'}: ${message}` });
    steps.release?.();
    // Let the IPC message flush before leaving.
    setTimeout(() => process.exit(1), 50);
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'init') worker = message.config.worker;
    const step =
      message.type === 'init'
        ? steps.init(message.config)
        : message.type === 'go'
          ? steps.go(BigInt(message.startAtNs))
          : message.type === 'measure'
            ? Promise.resolve(measureAt!(BigInt(message.measureAtNs)))
            : message.type === 'finalize'
              ? steps.finalize()
              : steps.exit();
    step.catch(failed);
  });
  // An orphaned worker (parent killed) must not keep running.
  process.on('disconnect', () => {
    steps.release?.();
    process.exit(0);
  });
}
