import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CrashLedger } from './crash-log.js';
import { describeFault, disableFault, enableFault, forkUnderFiu, type Fault } from './fiu.js';
import type { StoreConfig } from './fixtures/fault-store.js';
import { exited, firstMessage, sleep } from './helpers.js';

/** How long a batch may take before the worker counts as hung. */
const BATCH_TIMEOUT_MS = 60_000;

export interface FaultRunResult {
  ledger: CrashLedger;
  /** Outcomes counted by the worker: ok, read, each typed failure code. */
  counts: Record<string, number>;
}

/**
 * Runs one worker under fiu-run's preload against `directory`: for each
 * fault in turn (`rounds` times over the list), enables it, lets the worker
 * do `opsPerBatch` operations, disables it. Rejects if the worker dies or a
 * batch does not finish in time (a hang); returns the folded log.
 */
export async function runUnderFaults(
  base: string,
  directory: string,
  config: StoreConfig,
  faults: Fault[],
  options: { rounds: number; opsPerBatch: number; seed: number },
): Promise<FaultRunResult> {
  const child = forkUnderFiu('io-fault-worker.ts', [
    directory,
    config.kind,
    config.journal,
    config.synchronous,
    '0',
    String(options.seed),
  ]);
  try {
    await firstMessage(child);
    for (let round = 0; round < options.rounds; round++) {
      for (const [i, fault] of faults.entries()) {
        const armed = join(base, `armed-${round}-${i}`);
        const done = join(base, `done-${round}-${i}`);
        child.send({ batch: true, ops: options.opsPerBatch, armed, done });
        enableFault(child.pid!, fault);
        try {
          mkdirSync(armed);
          await folderAppears(done, child, `batch under ${describeFault(fault)}`);
        } finally {
          if (child.exitCode === null && child.signalCode === null) disableFault(child.pid!, fault);
        }
      }
    }
    child.send({ finish: true });
    const report = await firstMessage<{ lines: string[]; counts: Record<string, number> }>(child);
    const { code, signal } = await exited(child);
    if (code !== 0) throw new Error(`worker exited with ${code ?? signal} after finishing`);
    const ledger = new CrashLedger();
    ledger.addLines(report.lines, `${config.kind}/${config.journal}`);
    return { ledger, counts: report.counts };
  } finally {
    child.kill('SIGKILL');
  }
}

async function folderAppears(folder: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + BATCH_TIMEOUT_MS;
  while (!existsSync(folder)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`worker died (${child.exitCode ?? child.signalCode}) during ${what}`);
    }
    if (Date.now() > deadline) throw new Error(`worker hung: ${what} did not finish within ${BATCH_TIMEOUT_MS} ms`);
    await sleep(10);
  }
}

/** Typed failures counted, summed over codes (everything but successes and reads). */
export function failures(counts: Record<string, number>): number {
  return Object.entries(counts)
    .filter(([code]) => code !== 'ok' && code !== 'read')
    .reduce((n, [, c]) => n + c, 0);
}
