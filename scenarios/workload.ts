import type { Value } from '../backends/backend.js';
import type { ActionDefinition } from './action.js';
import { ACTIONS } from './actions.js';
import { createKeyChooser, type KeyChooser } from './key-chooser.js';
import { createKeyNamer, type KeyNamer } from './key-namer.js';
import { Rng } from '../shared/rng.js';
import { MIX_ACTIONS, type MixAction, type Scenario } from './scenario.js';
import { createValueMaker, type ValueMaker } from './value-maker.js';

/** One operation to time. The object is reused between calls to `next()`; copy what you keep. */
export interface Operation {
  action: MixAction;
  /** How the action is performed and judged (actions.ts); the harness calls it without asking which action it is. */
  definition: ActionDefinition;
  key: string;
  /** set, insert, add, update, rmw: the value; for a one-field update, the field's bytes. */
  value: Value | undefined;
  /** update, rmw of one field (RecordLayout): which field `value` replaces. */
  field: number | undefined;
  /** scan only: the keys from `key` on, in sorted order. */
  keys: string[] | undefined;
  /** The key space size (crawl: pages in the link graph). */
  graphSize: number;
}

// Independent streams derived from the one seed: preload and the value pool are
// the same in every worker; each worker has its own operation stream.
const PRELOAD_STREAM = 0;
const POOL_STREAM = 0x7fff_ffff;
const workerStream = (worker: number): number => 1 + worker;
// Backends' own random choices (filebased's culling): one stream per worker, apart from the operation streams.
const BACKEND_STREAM = 0x4000_0000;

/**
 * The seed a worker's backend gets for its own random choices (BackendFactory.create's
 * context). Drawn from the run seed on a stream of its own rather than `seed + worker`,
 * so repeated runs with consecutive seeds (`--repeat`) do not share sequences.
 */
export function backendSeed(seed: number, worker: number): number {
  return new Rng(seed, BACKEND_STREAM + worker).nextUint32();
}

/**
 * The seeded operation stream of one worker. Random draws happen in the talk's
 * order (key, value, then the action; then a field or scan length where the
 * action needs one) so a run is a pure function of (scenario, seed, worker
 * index, operations).
 *
 * Each worker acts as one YCSB client run against the shared store with
 * recordcount = keys.count and operationcount = its own `operations`: it
 * sizes its zipfian to the records plus ⌊operations × insert share × 2⌋
 * expected inserts (CoreWorkload's rule), draws again any key it does not know
 * to exist, and its inserts take key indexes of their own (see keyIndex).
 */
export class Workload {
  private readonly rng: Rng;
  private readonly chooser: KeyChooser;
  private readonly makeValue: ValueMaker;
  private readonly actions: MixAction[] = [];
  private readonly definitions: ActionDefinition[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;
  private readonly keyName: KeyNamer;
  private readonly maxScan: number;
  private readonly fields: number;
  private counter = 0;
  private inserts = 0;
  private readonly op: Operation;
  /** crawl: pages this worker claimed and has yet to visit (newest first, like a depth-first crawl). */
  private readonly frontier: number[] = [];
  /** scan: the names of every key this worker knows to exist, sorted; built at the first scan. */
  private sortedKeys: string[] | undefined;

  /**
   * `operations` is the worker's whole operation count (warm-up included), which sizes the
   * zipfian for inserts; a run bounded by time passes none and the scenario's published
   * `sizes` stand in (YCSB, too, sizes from operationcount even when time ends the run).
   */
  constructor(
    private readonly scenario: Scenario,
    seed: number,
    private readonly worker: number,
    private readonly procs: number,
    operations: number = scenario.sizes.warmupOps + scenario.sizes.opsPerProcess,
  ) {
    this.rng = new Rng(seed, workerStream(worker));
    this.makeValue = createValueMaker(scenario.values, new Rng(seed, POOL_STREAM));
    let sum = 0;
    for (const action of MIX_ACTIONS) {
      const weight = scenario.mix[action] ?? 0;
      if (weight <= 0) continue;
      sum += weight;
      this.actions.push(action);
      this.definitions.push(ACTIONS[action]);
      this.cumulative.push(sum);
    }
    this.total = sum;
    const insertShare = (scenario.mix.insert ?? 0) / sum;
    this.chooser = createKeyChooser(
      scenario.keys.distribution,
      scenario.keys.count,
      Math.floor(operations * insertShare * 2),
    );
    this.keyName = createKeyNamer(scenario.keys);
    this.maxScan = scenario.maxScanLength ?? 100;
    // A one-field update needs byte values to slice a field from (validateScenario checks).
    this.fields = scenario.record && !scenario.record.writeAllFields ? scenario.record.fieldCount : 0;
    this.op = {
      action: 'get',
      definition: ACTIONS.get,
      key: '',
      value: undefined,
      field: undefined,
      keys: undefined,
      graphSize: scenario.keys.count,
    };
    // Each crawler starts from its own page so workers do not begin on the same one.
    if (scenario.mix.crawl) this.frontier.push(worker % scenario.keys.count);
  }

  /** crawl: links this worker claimed in the visited set join its frontier (bounded). */
  discover(pages: readonly number[]): void {
    if (this.frontier.length < 10_000) this.frontier.push(...pages);
  }

  /** The next operation (the same object each time, refilled). */
  next(): Operation {
    const op = this.op;
    const count = this.counter++;
    const loaded = this.scenario.keys.count;
    const position = this.chooser.next(this.rng, loaded + this.inserts);
    const value = this.makeValue(this.rng, count);
    const picked = this.pick(this.rng.nextFloat() * this.total);
    const action = this.actions[picked]!;
    op.action = action;
    op.definition = this.definitions[picked]!;
    op.value = value;
    op.field = undefined;
    op.keys = undefined;
    if (action === 'insert') {
      // The next position of this worker's sequence. The chooser learns of it with the next
      // operation, drawn only after this one completed, so a read never picks it early.
      const name = this.keyName(this.keyIndex(loaded + this.inserts++));
      if (this.sortedKeys) this.sortedKeys.splice(lowerBound(this.sortedKeys, name), 0, name);
      op.key = name;
    } else if (action === 'crawl') {
      // Mostly the frontier; sometimes (and whenever it runs dry) re-check a popular page,
      // which is where a cache shared between processes pays off.
      const revisit = this.rng.nextFloat() < (this.scenario.revisitFraction ?? 0);
      op.key = String((revisit ? undefined : this.frontier.pop()) ?? position);
    } else {
      op.key = this.keyName(this.keyIndex(position));
      if (action === 'scan') op.keys = this.scanFrom(op.key, 1 + this.rng.nextInt(this.maxScan));
      else if ((action === 'update' || action === 'rmw') && this.fields > 0) {
        // YCSB's writeallfields=false: one field, chosen uniformly, of fieldlength bytes.
        op.field = this.rng.nextInt(this.fields);
        op.value = (value as Uint8Array).subarray(0, Math.floor(value.length / this.fields));
      }
    }
    return op;
  }

  /**
   * YCSB E's scan: `length` records from the start key on, in key order, as a sorted store
   * returns them; fewer when the scan runs past the last key (no wrap-around). The keys are
   * those this worker knows exist: the preloaded ones and its own inserts (another worker's
   * inserts, which a range scan of the shared store would also return, are not requested).
   */
  private scanFrom(start: string, length: number): string[] {
    if (!this.sortedKeys) {
      const known = this.scenario.keys.count + this.inserts;
      this.sortedKeys = Array.from({ length: known }, (_, position) => this.keyName(this.keyIndex(position))).sort();
    }
    const from = lowerBound(this.sortedKeys, start);
    return this.sortedKeys.slice(from, from + length);
  }

  /**
   * The key index at a position of this worker's known keys: the preloaded
   * keys, then its own inserts. Workers interleave their insert indexes
   * (count + n × procs + worker) so inserts never collide, and a worker reads
   * only keys it knows exist — never another worker's insert, which may not
   * have happened yet (YCSB's "latest" likewise reads only acknowledged inserts;
   * several YCSB clients each know only their own).
   */
  private keyIndex(position: number): number {
    const count = this.scenario.keys.count;
    return position < count ? position : count + (position - count) * this.procs + this.worker;
  }

  /** The index of the action whose cumulative weight first exceeds `x`. */
  private pick(x: number): number {
    const cumulative = this.cumulative;
    for (let i = 0; i < cumulative.length - 1; i++) if (x < cumulative[i]!) return i;
    return cumulative.length - 1;
  }
}

/**
 * The preload entries (key, value), in key order, identical in every worker for
 * a given seed. The value is generated like a set's, or is the key itself when
 * the scenario's values say `preloadValue: 'key'`.
 */
export function* preloadEntries(scenario: Scenario, seed: number): Generator<[string, Value]> {
  const keyName = createKeyNamer(scenario.keys);
  if (scenario.values.preloadValue === 'key') {
    for (let i = 0; i < scenario.keys.count; i++) yield [keyName(i), keyName(i)];
    return;
  }
  const rng = new Rng(seed, PRELOAD_STREAM);
  const makeValue = createValueMaker(scenario.values, new Rng(seed, POOL_STREAM));
  for (let i = 0; i < scenario.keys.count; i++) yield [keyName(i), makeValue(rng, i)];
}

/** The key names a scenario's counters use (analytics drains all of them at the end). */
export function allKeys(scenario: Scenario): string[] {
  const keyName = createKeyNamer(scenario.keys);
  return Array.from({ length: scenario.keys.count }, (_, i) => keyName(i));
}

/** The first index of `sorted` whose entry is not below `key` (sorted.length when none). */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
