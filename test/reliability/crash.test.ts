import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cache, FanoutCache } from '../../engine/index.js';
import { Rng } from '../../shared/rng.js';
import { tempDir } from '../engine/helpers.js';
import { CrashLedger } from './crash-log.js';
import { SPILL_AT } from './fixtures/crash-ops.js';
import { exited, firstMessage, forkFixture, SEED, sleep } from './helpers.js';

/** Writers running at once, and kills per variant (a kill costs a child start-up, ~0.3–1 s under load). */
const SLOTS = 3;
const KILLS = {
  cache: Number(process.env.RELIABILITY_KILLS ?? 32),
  fanout: Math.ceil(Number(process.env.RELIABILITY_KILLS ?? 32) / 2),
};
type Kind = keyof typeof KILLS;

interface Round {
  id: number;
  round: number;
  log: string;
}

/**
 * One slot: start a writer, wait a seeded random moment after it is ready
 * (sometimes almost none, to land inside open), SIGKILL it, start the next.
 */
async function slot(
  kind: Kind,
  id: number,
  dir: string,
  logs: string,
  rng: Rng,
  budget: { left: number; round: number },
  rounds: Round[],
): Promise<void> {
  while (budget.left > 0) {
    budget.left--;
    const round = budget.round++;
    const log = join(logs, `w${id}-r${round}.log`);
    rounds.push({ id, round, log });
    const child = forkFixture('crash-writer.ts', [dir, log, String(id), String(round), String(SEED), kind]);
    await firstMessage(child);
    await sleep(rng.nextInt(5) === 0 ? rng.nextInt(10) : 20 + rng.nextInt(300));
    const alive = child.exitCode === null && child.signalCode === null;
    child.kill('SIGKILL');
    const { signal } = await exited(child);
    // A writer that stopped on its own hit an error (logged as X); the ledger reports it.
    if (alive && signal !== 'SIGKILL') throw new Error(`writer ${id} round ${round} exited by itself`);
  }
}

describe('crash safety', () => {
  for (const kind of ['cache', 'fanout'] as const) {
    const kills = KILLS[kind];
    const name = kind === 'cache' ? 'Cache' : 'FanoutCache (3 shards)';
    it(`${name} survives ${kills} SIGKILLs of writers mid-set/incr${kind === 'cache' ? '/transact' : ''}: nothing acknowledged is lost, nothing doubled`, async () => {
      const base = tempDir();
      const dir = join(base, 'cache');
      const rng = new Rng(SEED, kind === 'cache' ? 1 : 2);
      const budget = { left: kills, round: 0 };
      const rounds: Round[] = [];
      await Promise.all(Array.from({ length: SLOTS }, (_, id) => slot(kind, id, dir, base, rng, budget, rounds)));

      const ledger = new CrashLedger();
      // Rounds of one writer id ran one after another, so folding them in round order is their real order.
      for (const r of [...rounds].sort((a, b) => a.id - b.id || a.round - b.round)) ledger.addLog(r.log);
      expect(ledger.childErrors).toEqual([]);

      const options = { diskMinFileSize: SPILL_AT };
      const cache = kind === 'cache' ? new Cache(dir, options) : new FanoutCache(dir, { ...options, shards: 3 });
      try {
        // Killed writers may leave spill files without rows (written before the commit, or
        // replaced but not yet removed): orphans are the only thing check may find.
        const found = cache.check({ orphanAge: 0 });
        expect(found.filter((w) => !/belongs to no row|is empty/.test(w))).toEqual([]);
        // At most one write is in flight per kill, so at most one spill file per kill can be left over.
        expect(found.filter((w) => /belongs to no row/.test(w)).length).toBeLessThanOrEqual(kills);
        expect(ledger.verify(cache)).toEqual([]);
        cache.check({ fix: true, orphanAge: 0 });
        expect(cache.check({ orphanAge: 0 })).toEqual([]);
        expect(ledger.verify(cache)).toEqual([]);
        expect(ledger.opsAcked).toBeGreaterThan(kills); // the writers got real work done between kills
        console.log(
          `crash safety, ${name}: ${kills} SIGKILLs survived, ${ledger.opsAcked} acknowledged writes checked ` +
            `(${ledger.keys.size} keys, ${ledger.counters.size} counters), ${ledger.opsInFlight} in flight at a kill, ` +
            `${found.length} orphan warnings repaired, seed ${SEED}`,
        );
      } finally {
        cache.close();
      }
    });
  }
});
