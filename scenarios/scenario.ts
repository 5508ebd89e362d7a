import type { Capability } from '../backends/backend.js';
import { CachebenchError } from '../shared/cachebench-error.js';

/**
 * A scenario is plain data: a key space, a value shape, an operation mix and
 * sizes. The harness turns it into a seeded operation stream (workload.ts), so
 * users can write their own as a JSON file with the same fields.
 */

/**
 * How keys are chosen, each as YCSB's request distribution of that name (key-chooser.ts):
 * `uniform` over the preloaded keys; `zipfian` is YCSB's scrambled zipfian (popular keys
 * spread over the key space, inserted keys included once they exist); `latest` favours
 * recently inserted keys (YCSB D).
 */
export type KeyDistribution =
  | { kind: 'uniform' }
  | { kind: 'zipfian'; /** @default 0.99 */ theta?: number }
  | { kind: 'latest'; /** @default 0.99 */ theta?: number };

/** How key index n becomes a name: `prefix + n`, or `prefix + fnvhash64(n)` (YCSB's insertorder=hashed). */
export type KeyOrder = 'ordered' | 'hashed';

/**
 * A YCSB record stored as one value: `fieldCount` fields of equal length, one after another
 * (YCSB's fieldcount × fieldlength, 10 × 100 bytes). An `update` or `rmw` rewrites one field
 * (YCSB's default writeallfields=false): a key-value store cannot write part of a value, so
 * the harness reads the record and writes it back with that field replaced. With
 * `writeAllFields` it writes a whole new record instead (a blind set for `update`).
 */
export interface RecordLayout {
  /** Fields per record; each is ⌊value length / fieldCount⌋ bytes. The YCSB scenarios use 10 (YCSB's fieldcount). */
  fieldCount: number;
  /** Rewrite every field on update. The YCSB scenarios use false, YCSB's default writeallfields. */
  writeAllFields: boolean;
}

/** How values are built. */
export type ValueSpec =
  /** The talk's value: the op counter's decimal string repeated `minRepeat`..`maxRepeat` times. */
  (
    | { kind: 'counter-repeat'; minRepeat: number; maxRepeat: number }
    /** Pseudo-random bytes of a length drawn uniformly from `minBytes`..`maxBytes`. */
    | { kind: 'bytes'; minBytes: number; maxBytes: number }
  ) & {
    /**
     * What preload stores under each key: `generated` builds a value as a set
     * would; `key` stores the key's own name (python-diskcache's benchmarks do
     * `cache.set(key, key)`, so every preloaded value is 1–2 bytes there).
     * @default 'generated'
     */
    preloadValue?: PreloadValue;
  };

export type PreloadValue = 'generated' | 'key';
export const PRELOAD_VALUES: readonly PreloadValue[] = ['generated', 'key'];

/**
 * Operations a mix can contain. `insert` sets a key beyond the loaded range
 * (YCSB D/E), `update` rewrites a record (YCSB A/B; see RecordLayout), `rmw` is
 * a get then a set timed together (YCSB F), `scan` is a getMany of the next keys
 * in sorted order (YCSB E), `read` streams a value through `read()`, `crawl`
 * fetches one page of the synthetic link graph through the cache (crawler.ts).
 */
/** The post-run checks a scenario can name (checks.ts holds their definitions). */
export type CheckName = 'conservation';

export type MixAction =
  'get' | 'set' | 'delete' | 'incr' | 'pop' | 'add' | 'read' | 'insert' | 'update' | 'rmw' | 'scan' | 'crawl';

export const MIX_ACTIONS: readonly MixAction[] = [
  'get',
  'set',
  'delete',
  'incr',
  'pop',
  'add',
  'read',
  'insert',
  'update',
  'rmw',
  'scan',
  'crawl',
];

/** The capability each optional action needs from a backend. */
export const ACTION_CAPABILITY: Partial<Record<MixAction, Capability>> = {
  incr: 'incr',
  pop: 'pop',
  add: 'add',
  read: 'read',
  scan: 'getMany',
  crawl: 'add',
};

/** Sizes of a run: the scenario's published sizes, or its quick sizes for a first look. */
export interface RunSizes {
  procs: number;
  opsPerProcess: number;
  warmupOps: number;
}

export interface Scenario {
  name: string;
  description: string;
  /** Backend abilities the mix needs; backends lacking one are skipped with a message. */
  capabilities: Capability[];
  keys: {
    count: number;
    /** Prepended to the key index (or its hash), e.g. `user` for YCSB. @default '' */
    prefix?: string;
    /** @default 'ordered' */
    order?: KeyOrder;
    distribution: KeyDistribution;
  };
  values: ValueSpec;
  /** Values are YCSB records of fields; `update`/`rmw` rewrite one field unless `writeAllFields`. */
  record?: RecordLayout;
  /** Relative weights; they need not add up to 1. */
  mix: Partial<Record<MixAction, number>>;
  /** Set every key once before the barrier (untimed). */
  preload: boolean;
  /** crawl: the share of crawls that re-check a popular page instead of following the frontier. @default 0 */
  revisitFraction?: number;
  /** `scan` length is uniform in 1..maxScanLength. @default 100 */
  maxScanLength?: number;
  /**
   * A post-run check by name (checks.ts). `conservation`: every worker tallies
   * what it added with incr and drained with pop; after the run the remaining
   * counters are drained and the run checks that no increment was lost.
   */
  check?: CheckName;
  /** The published sizes (`--full`). */
  sizes: RunSizes;
  /** Sizes for a default run that finishes quickly on a small machine. Defaults to procs ≤ 4, ops ≤ 5,000. */
  quick?: Partial<RunSizes>;
  /** Free text shown by `cachebench scenarios` (e.g. which `--param` keys matter). */
  notes?: string;
  /**
   * Options a backend runs with in this scenario, by backend name, e.g.
   * `{ filebased: { max_entries: '1000' } }` — what the benchmark being
   * reproduced configured. Options the user gives (`-b filebased:max_entries=300`)
   * override them; the harness applies them to any backend by name.
   */
  backendOptions?: Record<string, Record<string, string>>;
}

export class ScenarioError extends CachebenchError<'SCENARIO'> {
  /** `detail`: the problem without the prefix naming the field or `--param` at fault, for callers that re-word the line. */
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super('SCENARIO', message);
  }
}

export function quickSizes(scenario: Scenario): RunSizes {
  return {
    procs: scenario.quick?.procs ?? Math.min(scenario.sizes.procs, 4),
    opsPerProcess: scenario.quick?.opsPerProcess ?? Math.min(scenario.sizes.opsPerProcess, 5_000),
    warmupOps: scenario.quick?.warmupOps ?? Math.min(scenario.sizes.warmupOps, 1_000),
  };
}

/** The actions a scenario's mix can produce (non-zero weights), in a stable order. */
export function mixActions(scenario: Scenario): MixAction[] {
  return MIX_ACTIONS.filter((action) => (scenario.mix[action] ?? 0) > 0);
}
