import type { Backend, BackendDescription, BackendFactory, Capability, Value } from './backend.js';
import { rejectUnknownOptions } from './options.js';
import { describeBackend } from './describe-backend.js';

const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'incr',
  'pop',
  'add',
  'getMany',
  'setMany',
  'deleteMany',
]);

/**
 * An in-process Map: the harness's own floor. Whatever this backend records is
 * the cost of the harness itself (clock reads, histogram recording, the loop),
 * not of any store. Each worker process has its own Map, so nothing is shared.
 *
 * No `expire`: keeping deadlines would add a clock read to every get and make
 * the floor cost more than the harness does. An expiring write is refused
 * (like lmdb and leveldb), never stored as if it were permanent.
 */
export class MemoryBackend implements Backend {
  readonly name = 'memory';
  readonly callStyle = 'sync';
  readonly capabilities = CAPABILITIES;
  private readonly map = new Map<string, Value>();

  constructor(readonly label = 'memory') {}

  open(): void {}
  close(): void {
    this.map.clear();
  }
  get(key: string): Value | undefined {
    return this.map.get(key);
  }
  set(key: string, value: Value, expireSeconds?: number): boolean {
    rejectExpire(expireSeconds);
    this.map.set(key, value);
    return true;
  }
  delete(key: string): boolean {
    return this.map.delete(key);
  }
  clear(): void {
    this.map.clear();
  }
  add(key: string, value: Value, expireSeconds?: number): boolean {
    rejectExpire(expireSeconds);
    if (this.map.has(key)) return false;
    this.map.set(key, value);
    return true;
  }
  incr(key: string, delta: number): number {
    const current = this.map.get(key);
    const next = (current === undefined ? 0 : Number(current)) + delta;
    if (!Number.isFinite(next)) throw new TypeError(`memory: value of key "${key}" is not a number`);
    this.map.set(key, String(next));
    return next;
  }
  pop(key: string): Value | undefined {
    const value = this.map.get(key);
    this.map.delete(key);
    return value;
  }
  getMany(keys: readonly string[]): (Value | undefined)[] {
    return keys.map((key) => this.map.get(key));
  }
  setMany(entries: readonly (readonly [string, Value])[]): number {
    for (const [key, value] of entries) this.map.set(key, value);
    return entries.length;
  }
  deleteMany(keys: readonly string[]): number {
    let removed = 0;
    for (const key of keys) if (this.map.delete(key)) removed++;
    return removed;
  }
  describe(): BackendDescription {
    return describeBackend(this, {
      durability: 'never',
      version: `node ${process.versions.node}`,
      settings: { scope: 'per-process' },
    });
  }
}

function rejectExpire(expireSeconds: number | undefined): void {
  if (expireSeconds !== undefined)
    throw new RangeError(
      'memory: no expire capability; the memory floor keeps no expiry, so an expiring write is refused',
    );
}

export const memoryFactory: BackendFactory = {
  name: 'memory',
  summary: 'An in-process Map per worker: the floor under every other backend (measures the harness itself).',
  options: {},
  validate(options) {
    rejectUnknownOptions('memory', options, {});
  },
  async provision(options) {
    rejectUnknownOptions('memory', options, {});
    return { spec: {}, teardown: async () => {} };
  },
  create(_spec, label) {
    return new MemoryBackend(label);
  },
};
