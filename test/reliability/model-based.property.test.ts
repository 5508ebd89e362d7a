import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cache, FanoutCache, type EvictionPolicyName } from '../../engine/index.js';
import { tempDir } from '../engine/helpers.js';
import { CacheModel, type Limits, type ModelBug } from './model/cache-model.js';
import { commandArbitraries, type CommandSet, type Real } from './model/commands.js';
import { MODEL_SCALE, SEED } from './helpers.js';

/** Seed of the has-teeth searches, whose shrunk lengths are asserted. */
const TEETH_SEED = 20_240_611;

type Kind = 'Cache' | 'FanoutCache';

/**
 * How the cache under test is opened. `headroom` null keeps the default 1 GiB
 * size limit (nothing is ever evicted by policy); a number sets each shard's
 * limit that many bytes over an empty shard's volume, so a few spilled values
 * (200 and 300 bytes here) put it over and writes start evicting.
 */
interface Config {
  kind: Kind;
  policy: EvictionPolicyName;
  cullLimit: number;
  headroom: number | null;
  commands: CommandSet;
}

const DEFAULTS = {
  policy: 'least-recently-stored',
  cullLimit: 10,
  headroom: null,
  commands: { expiry: true },
} as const;
const MIN_FILE_SIZE = 128;
const FANOUT_SHARDS = 3;

/**
 * One cache per test, on a clock each run resets: opening a FanoutCache per
 * run would cost more than the run. Spill threshold low so spill files take part.
 */
function open(
  config: Config,
  bug: ModelBug,
): { fresh: () => { model: CacheModel; real: Real }; cache: Cache | FanoutCache } {
  let t = 0;
  const now = () => t;
  const options = { now, diskMinFileSize: MIN_FILE_SIZE, evictionPolicy: config.policy, cullLimit: config.cullLimit };
  const dir = tempDir();
  const shards = config.kind === 'Cache' ? 1 : FANOUT_SHARDS;
  const make = (sizeLimit?: number): Cache | FanoutCache =>
    config.kind === 'Cache'
      ? new Cache(dir, { ...options, sizeLimit })
      : new FanoutCache(dir, { ...options, sizeLimit, shards, timeout: 10 });
  let cache = make();
  // Every shard is created alike, so each holds the same pages when empty.
  const emptyVolume = cache.volume() / shards;
  expect(Number.isInteger(emptyVolume)).toBe(true);
  if (config.headroom !== null) {
    cache.close();
    cache = make(shards * (emptyVolume + config.headroom)); // FanoutCache splits it evenly
  }
  const limits: Limits = {
    policy: config.policy,
    cullLimit: config.cullLimit,
    sizeLimit: cache.settings.sizeLimit / shards,
    diskMinFileSize: MIN_FILE_SIZE,
    emptyVolume,
    shards,
  };
  const opened = cache;
  const shardOf =
    opened instanceof FanoutCache ? (key: Parameters<FanoutCache['shardIndex']>[0]) => opened.shardIndex(key) : () => 0;
  const real: Real = { cache: opened, advance: (seconds) => (t += seconds) };
  return {
    cache: opened,
    fresh: () => {
      opened.clear();
      t = 1_000_000;
      return { model: new CacheModel(t, shardOf, limits, bug), real };
    },
  };
}

/** One model run: the commands, then every spill file accounted for (none leaked by rollbacks or culls). */
function property(fresh: () => { model: CacheModel; real: Real }, set: CommandSet, ran: Ran) {
  return fc.property(fc.commands(commandArbitraries(set), { maxCommands: 60, size: '+1' }), (commands) => {
    const { model, real } = fresh();
    fc.modelRun(() => ({ model, real }), commands);
    expect(real.cache.check({ orphanAge: 0 })).toEqual([]);
    ran.runs++;
    ran.commands += [...commands].length;
    ran.evicted += model.evicted;
  });
}

interface Ran {
  commands: number;
  runs: number;
  evicted: number;
}

function agrees(config: Config, numRuns: number, seed: number): void {
  const { fresh, cache } = open(config, 'none');
  const ran: Ran = { commands: 0, runs: 0, evicted: 0 };
  try {
    fc.assert(property(fresh, config.commands, ran), { numRuns: numRuns * MODEL_SCALE, seed });
  } finally {
    cache.close();
  }
  console.log(
    `model-based ${config.kind} (${config.policy}, cullLimit ${config.cullLimit}, ${config.headroom === null ? 'default sizeLimit' : `sizeLimit empty + ${config.headroom} B`}): ` +
      `${ran.runs} sequences, ${ran.commands} commands, ${ran.evicted} rows evicted by policy, all agreeing with the model (seed ${seed})`,
  );
  expect(ran.commands).toBeGreaterThan(ran.runs * 5);
  // A small limit under a policy must really evict, often: else the sized runs would test nothing new.
  if (config.headroom !== null && config.policy !== 'none') expect(ran.evicted).toBeGreaterThan(ran.runs);
  else expect(ran.evicted).toBe(0);
}

describe('model-based: command sequences against an in-memory model with a controlled clock', () => {
  for (const kind of ['Cache', 'FanoutCache'] as const) {
    it(`${kind} agrees with the model on set/get/delete/add/incr/pop/touch/expire/evict/cull/clear/keys/transact`, () => {
      agrees({ kind, ...DEFAULTS }, 200, SEED + (kind === 'Cache' ? 0 : 1));
    });
  }

  // A small size limit and cullLimit 2: which rows each write evicts follows the policy's order exactly.
  const sized: [Kind, EvictionPolicyName][] = [
    ['Cache', 'least-recently-stored'],
    ['Cache', 'least-recently-used'],
    ['Cache', 'least-frequently-used'],
    ['Cache', 'none'],
    ['FanoutCache', 'least-recently-used'],
  ];
  for (const [i, [kind, policy]] of sized.entries()) {
    it(`${kind}, ${policy}, a small sizeLimit: evicts exactly the rows the policy names, never the one just written; volume() exact`, () => {
      agrees(
        { kind, policy, cullLimit: 2, headroom: 400, commands: { expiry: false, bigValues: true } },
        policy === 'none' ? 50 : 100,
        SEED + 10 + i,
      );
    });
  }

  const bugs: [ModelBug, string, number, RegExp, Config][] = [
    // One command: a set with expire 0 writes an already-expired row that its own cull removes.
    ['no-cull-on-write', 'forgets the cull after each write', 2, /set|add|incr/, { kind: 'Cache', ...DEFAULTS }],
    // Two writes of one key around another, then keys(): an update keeps its place.
    ['update-moves-last', 'moves an updated key to the end of keys()', 5, /keys\(\)/, { kind: 'Cache', ...DEFAULTS }],
    // Three rows, a get of the oldest, then spilled writes over the limit: the read row must survive.
    [
      'reads-not-counted',
      'forgets that a get counts under least-frequently-used',
      10,
      /get\(/,
      {
        kind: 'Cache',
        policy: 'least-frequently-used',
        cullLimit: 2,
        headroom: 400,
        commands: { expiry: false, bigValues: true },
      },
    ],
    // Two spilled values reach the limit; the second write must survive its own cull.
    [
      'spares-nothing',
      'lets a write evict its own row',
      4,
      /set|add/,
      {
        kind: 'Cache',
        policy: 'least-recently-stored',
        cullLimit: 2,
        headroom: 400,
        commands: { expiry: false, bigValues: true },
      },
    ],
  ];
  for (const [bug, what, most, mentions, config] of bugs) {
    it(`has teeth: a model that ${what} is caught and shrunk to a minimal sequence`, () => {
      const { fresh, cache } = open(config, bug);
      try {
        // A fixed seed, not RELIABILITY_SEED: the shrink bound is a property of one search,
        // and another seed may stop at a longer local minimum.
        const result = fc.check(property(fresh, config.commands, { commands: 0, runs: 0, evicted: 0 }), {
          numRuns: 300,
          seed: TEETH_SEED,
        });
        expect(result.failed).toBe(true);
        const shrunk = String(result.counterexample?.[0] ?? '').replace(/\s*\/\*replayPath=.*\*\//, '');
        // The iterable yields fast-check's wrappers; those that ran are the failing sequence.
        const steps = [...(result.counterexample?.[0] ?? [])].filter((c) => (c as { hasRan?: boolean }).hasRan);
        console.log(
          `model-based, model that ${what}: caught after ${result.numRuns} runs, shrunk ${result.numShrinks} times to ${steps.length} commands: ${shrunk}`,
        );
        expect(steps.length).toBeLessThanOrEqual(most);
        expect(shrunk).toMatch(mentions);
      } finally {
        cache.close();
      }
    });
  }
});
