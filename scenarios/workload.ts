import type { Value } from '../backends/backend.js';
import { createKeyChooser, type KeyChooser } from './key-chooser.js';
import { Rng } from './rng.js';
import { MIX_ACTIONS, type MixAction, type Scenario } from './scenario.js';
import { createValueMaker, type ValueMaker } from './value-maker.js';

/** One operation to time. The object is reused between calls to `next()`; copy what you keep. */
export interface Operation {
  action: MixAction;
  key: string;
  /** set, insert, add, rmw. */
  value: Value | undefined;
  /** scan only: consecutive keys. */
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
 * order (key, value, then the action) so a run is a pure function of
 * (scenario, seed, worker index).
 */
export class Workload {
  private readonly rng: Rng;
  private readonly chooser: KeyChooser;
  private readonly makeValue: ValueMaker;
  private readonly actions: MixAction[] = [];
  private readonly cumulative: number[] = [];
  private readonly total: number;
  private readonly prefix: string;
  private readonly maxScan: number;
  private counter = 0;
  private inserts = 0;
  private readonly op: Operation;
  /** crawl: pages this worker claimed and has yet to visit (newest first, like a depth-first crawl). */
  private readonly frontier: number[] = [];

  constructor(
    private readonly scenario: Scenario,
    seed: number,
    private readonly worker: number,
    private readonly procs: number,
  ) {
    this.rng = new Rng(seed, workerStream(worker));
    this.chooser = createKeyChooser(scenario.keys.distribution, scenario.keys.count);
    this.makeValue = createValueMaker(scenario.values, new Rng(seed, POOL_STREAM));
    let sum = 0;
    for (const action of MIX_ACTIONS) {
      const weight = scenario.mix[action] ?? 0;
      if (weight <= 0) continue;
      sum += weight;
      this.actions.push(action);
      this.cumulative.push(sum);
    }
    this.total = sum;
    this.prefix = scenario.keys.prefix ?? '';
    this.maxScan = scenario.maxScanLength ?? 100;
    this.op = { action: 'get', key: '', value: undefined, keys: undefined, graphSize: scenario.keys.count };
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
    const index = this.chooser.next(this.rng);
    const value = this.makeValue(this.rng, count);
    const action = this.pick(this.rng.nextFloat() * this.total);
    op.action = action;
    op.value = value;
    op.keys = undefined;
    if (action === 'insert') {
      // The next position of this worker's sequence. The chooser learns of it now; the next
      // operation is drawn only after this one completed, so a read never picks it early.
      const position = this.scenario.keys.count + this.inserts++;
      this.chooser.grow(position + 1);
      op.key = this.prefix + this.keyIndex(position);
    } else if (action === 'crawl') {
      // Mostly the frontier; sometimes (and whenever it runs dry) re-check a popular page,
      // which is where a cache shared between processes pays off.
      const revisit = this.rng.nextFloat() < (this.scenario.revisitFraction ?? 0);
      op.key = String((revisit ? undefined : this.frontier.pop()) ?? index);
    } else {
      op.key = this.prefix + this.keyIndex(index);
      if (action === 'scan') {
        const length = 1 + this.rng.nextInt(this.maxScan);
        const keys: string[] = [];
        // Consecutive positions, wrapping within the preloaded keys (or, for a scan that starts
        // on one of this worker's inserts, within everything it knows of).
        const count = this.scenario.keys.count;
        const span = index < count ? count : count + this.inserts;
        for (let i = 0; i < length; i++) keys.push(this.prefix + this.keyIndex((index + i) % span));
        op.keys = keys;
      }
    }
    return op;
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

  private pick(x: number): MixAction {
    const cumulative = this.cumulative;
    for (let i = 0; i < cumulative.length - 1; i++) if (x < cumulative[i]!) return this.actions[i]!;
    return this.actions[this.actions.length - 1]!;
  }
}

/**
 * The preload entries (key, value), in key order, identical in every worker for
 * a given seed. The value is generated like a set's, or is the key itself when
 * the scenario's values say `preloadValue: 'key'`.
 */
export function* preloadEntries(scenario: Scenario, seed: number): Generator<[string, Value]> {
  const prefix = scenario.keys.prefix ?? '';
  if (scenario.values.preloadValue === 'key') {
    for (let i = 0; i < scenario.keys.count; i++) yield [prefix + i, prefix + i];
    return;
  }
  const rng = new Rng(seed, PRELOAD_STREAM);
  const makeValue = createValueMaker(scenario.values, new Rng(seed, POOL_STREAM));
  for (let i = 0; i < scenario.keys.count; i++) yield [prefix + i, makeValue(rng, i)];
}

/** The key names a scenario's counters use (analytics drains all of them at the end). */
export function allKeys(scenario: Scenario): string[] {
  const prefix = scenario.keys.prefix ?? '';
  return Array.from({ length: scenario.keys.count }, (_, i) => prefix + i);
}
