import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Durability } from '../../../backends/backend.js';
import { forkModule } from '../../../harness/fork-module.js';
import { Rng } from '../../../shared/rng.js';
import { failureCode, openStore, type FaultStore, type StoreConfig } from '../fixtures/fault-store.js';
import { exited, fixture } from '../helpers.js';
import { loggedOps, verifyState, type LoggedOp } from './acknowledged.js';
import { CrashStates, materialize, type LaterWrites } from './crash-states.js';
import { parseIoLog, type IoEvent } from './io-log-parse.js';

export interface PowerLossResult {
  events: number;
  syncs: number;
  ops: number;
  states: number;
  opened: number;
  /** States the store refused to open, with a typed error. */
  refused: number;
  /** States where some acknowledged write was lost and the label allows it. */
  lossAllowed: number;
  /** Broken promises of the label, and values no op wrote: the checker's findings. */
  problems: string[];
  /** Untyped errors from opening, reading or repairing. */
  untyped: string[];
  /** States check({ fix: true }) left unclean. */
  unsalvaged: string[];
}

/** Runs the workload under the I/O log shim; returns the log's events (paths relative to `base`/rec). */
export async function recordWorkload(
  library: string,
  base: string,
  store: StoreConfig,
  seed: number,
  ops: number,
): Promise<IoEvent[]> {
  const root = join(base, 'rec');
  const log = join(base, 'io.log');
  const env = {
    ...process.env,
    LD_PRELOAD: library,
    IOLOG_DIR: root,
    IOLOG_FILE: log,
    IOLOG_MARK: join(base, 'marks'),
  };
  const child = forkModule(
    fixture('power-loss-workload.ts'),
    [join(root, 'store'), store.kind, store.journal, store.synchronous, String(seed), String(ops)],
    { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env },
  );
  const { code, signal } = await exited(child);
  if (code !== 0) throw new Error(`power-loss workload exited with ${code ?? signal}`);
  return parseIoLog(log, root);
}

const LATER: LaterWrites[] = ['none', 'all', 'prefix', 'subset'];

/**
 * Opens the store on `states` seeded crash states of the recorded run (the
 * first is the complete run, with nothing lost: a check of the replay itself)
 * and checks each against what `label` promises.
 */
export function checkCrashStates(
  events: IoEvent[],
  store: StoreConfig,
  label: Durability,
  options: { states: number; seed: number; base: string },
): PowerLossResult {
  const states = new CrashStates(events);
  const ops = loggedOps(events);
  const rng = new Rng(options.seed, 11);
  const result: PowerLossResult = {
    events: events.length,
    syncs: events.filter((e) => e.kind === 'sync').length,
    ops: ops.length,
    states: 0,
    opened: 0,
    refused: 0,
    lossAllowed: 0,
    problems: [],
    untyped: [],
    unsalvaged: [],
  };
  const typed = (error: unknown): boolean => failureCode(store, error) !== undefined;
  for (let n = 0; n < options.states; n++) {
    const point = n === 0 ? events.length : 1 + rng.nextInt(events.length);
    const later = n === 0 ? 'all' : LATER[n % LATER.length]!;
    // Under fsync-at-checkpoint an op is durable once the database it wrote (its shard's) was synced.
    const durableBefore = (o: LoggedOp): number =>
      n === 0 || label === 'fsync-per-write'
        ? point
        : label === 'fsync-at-checkpoint'
          ? states.lastSyncBefore(point, o.dirs)
          : -1;
    const dir = join(options.base, `state-${n}`);
    const where = `state ${n} (power cut after event ${point} of ${events.length}, later writes: ${later})`;
    materialize(states.state(point, later, rng), dir);
    result.states++;
    let opened: FaultStore | undefined;
    try {
      opened = openStore(join(dir, 'store'), store);
    } catch (error) {
      if (!typed(error)) result.untyped.push(`${where}: open: ${String(error)}`);
      else {
        result.refused++;
        if (label !== 'os-buffered' && label !== 'never')
          result.problems.push(`${where}: refused to open: ${String(error)}`);
      }
    }
    if (opened !== undefined) {
      result.opened++;
      try {
        const verdict = verifyState(opened, ops, point, durableBefore, typed);
        result.problems.push(...verdict.problems.map((p) => `${where}: ${p}`));
        result.untyped.push(...verdict.untyped.map((p) => `${where}: ${p}`));
        if (verdict.lostAllowed > 0) result.lossAllowed++;
        opened.check(true);
        const left = opened.check(false);
        if (left.length > 0) result.unsalvaged.push(`${where}: ${left.join('; ')}`);
      } catch (error) {
        (typed(error) ? result.unsalvaged : result.untyped).push(`${where}: ${String(error)}`);
      } finally {
        opened.close();
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}
