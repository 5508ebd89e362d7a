import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cache, FanoutCache } from '../../engine/index.js';
import { tempDir } from '../engine/helpers.js';
import { CacheModel, type ModelBug } from './model/cache-model.js';
import { commandArbitraries, type Real } from './model/commands.js';
import { SEED } from './helpers.js';

type Kind = 'Cache' | 'FanoutCache';

/**
 * One cache per test, on a clock each run resets: opening a FanoutCache per
 * run would cost more than the run. Spill threshold low so spill files take part.
 */
function open(kind: Kind, bug: ModelBug): { fresh: () => { model: CacheModel; real: Real }; cache: Cache | FanoutCache } {
  let t = 0;
  const now = () => t;
  const options = { now, diskMinFileSize: 128 };
  const dir = tempDir();
  const cache = kind === 'Cache' ? new Cache(dir, options) : new FanoutCache(dir, { ...options, shards: 3, timeout: 10 });
  const shardOf = cache instanceof FanoutCache ? (key: Parameters<FanoutCache['shardIndex']>[0]) => cache.shardIndex(key) : () => 0;
  const real: Real = { cache, advance: (seconds) => (t += seconds) };
  return {
    cache,
    fresh: () => {
      cache.clear();
      t = 1_000_000;
      return { model: new CacheModel(t, shardOf, bug), real };
    },
  };
}

/** One model run: the commands, then every spill file accounted for (none leaked by rollbacks or culls). */
function property(fresh: () => { model: CacheModel; real: Real }, ran: { commands: number; runs: number }) {
  return fc.property(fc.commands(commandArbitraries(), { maxCommands: 60, size: '+1' }), (commands) => {
    const { model, real } = fresh();
    fc.modelRun(() => ({ model, real }), commands);
    expect(real.cache.check({ orphanAge: 0 })).toEqual([]);
    ran.runs++;
    ran.commands += [...commands].length;
  });
}

describe('model-based: command sequences against an in-memory model with a controlled clock', () => {
  for (const kind of ['Cache', 'FanoutCache'] as const) {
    it(`${kind} agrees with the model on set/get/delete/add/incr/pop/touch/expire/evict/cull/clear/keys/transact`, () => {
      const { fresh, cache } = open(kind, 'none');
      const ran = { commands: 0, runs: 0 };
      try {
        fc.assert(property(fresh, ran), { numRuns: 200, seed: SEED + (kind === 'Cache' ? 0 : 1) });
      } finally {
        cache.close();
      }
      console.log(`model-based ${kind}: ${ran.runs} sequences, ${ran.commands} commands, all agreeing with the model (seed ${SEED + (kind === 'Cache' ? 0 : 1)})`);
      expect(ran.commands).toBeGreaterThan(ran.runs * 5);
    });
  }

  const bugs: [ModelBug, string, number, RegExp][] = [
    // One command: a set with expire 0 writes an already-expired row that its own cull removes.
    ['no-cull-on-write', 'forgets the cull after each write', 2, /set|add|incr/],
    // Two writes of one key around another, then keys(): an update keeps its place.
    ['update-moves-last', 'moves an updated key to the end of keys()', 5, /keys\(\)/],
  ];
  for (const [bug, what, most, mentions] of bugs) {
    it(`has teeth: a model that ${what} is caught and shrunk to a minimal sequence`, () => {
      const { fresh, cache } = open('Cache', bug);
      try {
        const result = fc.check(property(fresh, { commands: 0, runs: 0 }), { numRuns: 300, seed: SEED });
        expect(result.failed).toBe(true);
        const shrunk = String(result.counterexample?.[0] ?? '').replace(/\s*\/\*replayPath=.*\*\//, '');
        // The iterable yields fast-check's wrappers; those that ran are the failing sequence.
        const steps = [...(result.counterexample?.[0] ?? [])].filter((c) => (c as { hasRan?: boolean }).hasRan);
        console.log(`model-based, model that ${what}: caught after ${result.numRuns} runs, shrunk ${result.numShrinks} times to ${steps.length} commands: ${shrunk}`);
        expect(steps.length).toBeLessThanOrEqual(most);
        expect(shrunk).toMatch(mentions);
      } finally {
        cache.close();
      }
    });
  }
});
