import { beforeAll, describe, expect, it } from 'vitest';
import type { Durability } from '../../backends/backend.js';
import { FileBasedBackend } from '../../backends/filebased.js';
import { sqliteDurability } from '../../backends/sqlite-info.js';
import { tempDir } from '../engine/helpers.js';
import type { StoreConfig } from './fixtures/fault-store.js';
import { SEED } from './helpers.js';
import type { IoEvent } from './power-loss/io-log-parse.js';
import { buildIoLogShim } from './power-loss/io-log-shim.js';
import { checkCrashStates, recordWorkload, type PowerLossResult } from './power-loss/power-loss-run.js';

/**
 * Simulated power loss: a real workload's file I/O is recorded by an
 * LD_PRELOAD shim, the states a power cut could leave are rebuilt from the
 * log (power-loss/crash-states.ts states the model), and the store is opened
 * on each. What must survive is what the backend's own durability label
 * (backends/*.ts describe()) promises. RELIABILITY_CRASH_STATES sets the
 * states per configuration (npm run soak raises it).
 */
const shim = buildIoLogShim();
const STATES = Number(process.env.RELIABILITY_CRASH_STATES ?? 40);
const OPS = 120;

function durabilityLabel(store: StoreConfig): Durability {
  if (store.kind === 'filebased')
    return new FileBasedBackend({
      directory: '/nonexistent',
      maxEntries: 1,
      cullFrequency: 1,
      timeout: null,
      seed: 1,
    }).describe().durability;
  return sqliteDurability(store.journal, store.synchronous);
}

/** Problems about spilled values (keys f-…, t-…: bytes and text over the spill threshold) and about rows. */
const SPILLED = /: [ft]-\d+-\d+: /;

async function run(
  store: StoreConfig,
  seed: number,
): Promise<{ result: PowerLossResult; events: IoEvent[]; base: string }> {
  const base = tempDir();
  const events = await recordWorkload(shim.library!, base, store, seed, OPS);
  return {
    result: checkCrashStates(events, store, durabilityLabel(store), { states: STATES, seed, base }),
    events,
    base,
  };
}

function report(name: string, label: Durability, r: PowerLossResult, seed: number): void {
  const spilled = r.problems.filter((p) => SPILLED.test(p)).length;
  console.log(
    `power loss, ${name} (label ${label}): ${r.states} crash states from ${r.events} I/O events (${r.syncs} syncs, ${r.ops} ops): ` +
      `${r.opened} opened, ${r.refused} refused (typed), ${r.lossAllowed} with acknowledged writes lost as the label allows; ` +
      `broken promises: ${r.problems.length - spilled} on rows, ${spilled} on spilled values; ${r.untyped.length} untyped errors, ` +
      `${r.unsalvaged.length} not salvaged, seed ${seed}`,
  );
  for (const line of [
    ...r.problems.filter((p) => !SPILLED.test(p)).slice(0, 3),
    ...r.problems.filter((p) => SPILLED.test(p)).slice(0, 2),
    ...r.untyped.slice(0, 3),
  ]) {
    console.log(`  ${line}`);
  }
}

const SQLITE: { name: string; store: StoreConfig }[] = [
  {
    name: 'sqlite defaults (WAL, synchronous=normal)',
    store: { kind: 'cache', journal: 'wal', synchronous: 'normal' },
  },
  { name: 'sqlite WAL, synchronous=full', store: { kind: 'cache', journal: 'wal', synchronous: 'full' } },
  {
    name: 'sqlite journal_mode=delete, synchronous=normal',
    store: { kind: 'cache', journal: 'delete', synchronous: 'normal' },
  },
  {
    name: 'sqlite journal_mode=delete, synchronous=full',
    store: { kind: 'cache', journal: 'delete', synchronous: 'full' },
  },
  {
    name: 'fanout defaults (3 shards, WAL, synchronous=normal)',
    store: { kind: 'fanout', journal: 'wal', synchronous: 'normal' },
  },
  // The level at which SQLite fsyncs the directory after unlinking the journal: what makes a delete-journal commit durable.
  {
    name: 'sqlite journal_mode=delete, synchronous=extra',
    store: { kind: 'cache', journal: 'delete', synchronous: 'extra' },
  },
];

describe.skipIf(!shim.library)(
  `power loss, simulated from a recorded I/O log${shim.library ? '' : ` (skipped: ${shim.reason})`}`,
  () => {
    for (const [i, config] of SQLITE.entries()) {
      describe(config.name, () => {
        const label = durabilityLabel(config.store);
        let result: PowerLossResult;
        let recorded: { events: IoEvent[]; base: string };
        beforeAll(async () => {
          ({ result, ...recorded } = await run(config.store, SEED + i));
          report(config.name, label, result, SEED + i);
        });

        it('opens on every crash state, never reads a value no op wrote, and check({ fix }) leaves it clean', () => {
          // State 0 is the whole run with nothing lost: it checks the recording and the replay themselves.
          expect(result.problems.filter((p) => p.startsWith('state 0 '))).toEqual([]);
          expect(result.opened).toBe(result.states);
          expect(result.untyped).toEqual([]);
          expect(result.unsalvaged).toEqual([]);
          expect(result.problems.filter((p) => /no op wrote/.test(p))).toEqual([]);
        });

        it(`keeps every write kept in a row that its label "${label}" promises`, () => {
          // journal_mode=delete commits by unlinking the journal, and SQLite fsyncs the directory after
          // it only with synchronous=EXTRA: below that a power cut can bring the journal back and roll an
          // acknowledged transaction back, so normal and full are labelled os-buffered.
          expect(result.problems.filter((p) => !SPILLED.test(p))).toEqual([]);
        });

        it(`keeps every spilled value that its label "${label}" promises`, () => {
          // A spill file and the folder entries naming it are fsynced before its row commits, and under
          // WAL + normal the WAL before a replaced value's file is removed: otherwise a row that survived
          // can point at a spill file that is empty or missing.
          expect(result.problems.filter((p) => SPILLED.test(p))).toEqual([]);
        });

        if (label === 'fsync-at-checkpoint') {
          it('would refute a stronger label: held to fsync-per-write, the same crash states lose acknowledged rows', () => {
            const stricter = checkCrashStates(recorded.events, config.store, 'fsync-per-write', {
              states: STATES,
              seed: SEED + i,
              base: recorded.base,
            });
            expect(result.lossAllowed).toBeGreaterThan(0);
            expect(stricter.problems.filter((p) => !SPILLED.test(p)).length).toBeGreaterThan(0);
          });
        }

        if (label === 'os-buffered') {
          // A commit's loss window here is a few I/O events wide: 2–9 of 40 states hit it, so more states are cut.
          const states = Math.max(STATES, 160);
          it(`needs its weak label: held to fsync-per-write, ${states} crash states lose acknowledged rows`, () => {
            const stricter = checkCrashStates(recorded.events, config.store, 'fsync-per-write', {
              states,
              seed: SEED + i,
              base: recorded.base,
            });
            expect(stricter.problems.filter((p) => !SPILLED.test(p)).length).toBeGreaterThan(0);
          });
        }
      });
    }

    describe('filebased', () => {
      const store: StoreConfig = { kind: 'filebased', journal: 'wal', synchronous: 'normal' };
      const label = durabilityLabel(store);
      let result: PowerLossResult;
      beforeAll(async () => {
        ({ result } = await run(store, SEED + 10));
        report('filebased', label, result, SEED + 10);
      });

      it(`is labelled "${label}", and a power cut does lose acknowledged writes, as that label says; nothing wrong is read`, () => {
        expect(label).toBe('os-buffered');
        expect(result.problems.filter((p) => p.startsWith('state 0 '))).toEqual([]);
        expect(result.lossAllowed).toBeGreaterThan(0);
        expect(result.problems).toEqual([]);
      });

      it('reads an entry file a power cut left empty as a miss, as Django does (an empty file is expired), not a raw Error', () => {
        expect(result.untyped).toEqual([]);
      });
    });
  },
);
