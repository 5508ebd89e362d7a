/**
 * Does a configuration keep fewer writes safe than the defaults? A sweep
 * measures speed only, and the fastest settings are often the least durable
 * (synchronous=off skips every fsync). So a recommendation that lowers
 * durability says so plainly, and `--apply` refuses it without
 * `--allow-lower-durability`.
 *
 * What each setting risks, from SQLite's documentation:
 *   - synchronous: off < normal < full < extra. Off: an OS crash or power
 *     loss can corrupt the database. Normal: in WAL mode it may lose the last
 *     commits on power loss; in a rollback-journal mode it risks corruption.
 *   - journal_mode: off and memory have no journal on disk, so even an
 *     application crash mid-write can corrupt the database; delete, truncate
 *     and persist are rollback journals (safe with synchronous=full).
 */
import { SETTINGS, type JournalMode, type SynchronousMode } from '../engine/settings.js';
import type { BackendFactory } from '../backends/backend.js';
import { engineValues } from './apply.js';
import { SweepError } from './errors.js';
import type { Grid } from './grid.js';
import type { Combination } from './plan.js';

export interface Durability {
  journalMode: JournalMode;
  synchronous: SynchronousMode;
}

const SYNC_ORDER: readonly SynchronousMode[] = ['off', 'normal', 'full', 'extra'];
const NO_DISK_JOURNAL: ReadonlySet<JournalMode> = new Set(['off', 'memory']);

/**
 * A crash-safety rank: higher keeps more. Power-loss safety dominates:
 * 0 no disk journal (an app crash can corrupt); 1 synchronous=off (an OS crash can corrupt);
 * 2 rollback journal without full sync (power loss can corrupt); 3 WAL + normal (power loss loses the last commits);
 * 4 full or extra sync with a disk journal.
 */
export function durabilityRank(d: Durability): number {
  if (NO_DISK_JOURNAL.has(d.journalMode)) return 0;
  const sync = SYNC_ORDER.indexOf(d.synchronous);
  if (sync === 0) return 1;
  if (sync >= 2) return 4;
  return d.journalMode === 'wal' ? 3 : 2;
}

const RISK = [
  'an application crash mid-write can corrupt cache.db (no journal on disk)',
  'an OS crash or power loss can corrupt cache.db (no fsync)',
  'a power loss can corrupt cache.db (rollback journal without synchronous=full)',
  'a power loss can lose the last commits (WAL with synchronous=normal)',
  'committed writes survive a power loss',
];

/** The durability a combination runs with: its swept values, the backend's (or engine's) defaults for the rest. */
export function durabilityOf(combination: Combination, grid: Grid, factory: BackendFactory): Durability {
  const values = new Map(engineValues(combination, grid).map((v) => [v.option, v.value]));
  const pick = <T>(option: 'sqliteJournalMode' | 'sqliteSynchronous'): T => {
    if (values.has(option)) return values.get(option) as T;
    const documented = factory.options[SETTINGS[option].name]?.default;
    return (documented ?? SETTINGS[option].default) as T;
  };
  return {
    journalMode: pick<JournalMode>('sqliteJournalMode'),
    synchronous: pick<SynchronousMode>('sqliteSynchronous'),
  };
}

/** One plain sentence when `chosen` keeps less than `reference`, else undefined. */
export function durabilityWarning(chosen: Durability, reference: Durability): string | undefined {
  const a = durabilityRank(chosen);
  const b = durabilityRank(reference);
  if (a >= b) return undefined;
  return `lowers durability versus the defaults: journal_mode=${chosen.journalMode} synchronous=${chosen.synchronous} means ${RISK[a]}; the defaults (journal_mode=${reference.journalMode} synchronous=${reference.synchronous}): ${RISK[b]}`;
}

/**
 * `--apply` writes a durability-lowering recommendation only when asked to
 * twice: speed was measured, safety was not. Throws APPLY_DURABILITY.
 */
export function checkApplyDurability(
  recommended: { recommended: { label: string }; durability: string | null },
  target: string,
  allowLower: boolean,
): void {
  if (!recommended.durability || allowLower) return;
  throw new SweepError(
    'APPLY_DURABILITY',
    `--apply refused: ${recommended.recommended.label} ${recommended.durability}. Nothing was written to ${target}; add --allow-lower-durability to write it anyway (the sweep's runs are kept, so re-running only applies)`,
  );
}
