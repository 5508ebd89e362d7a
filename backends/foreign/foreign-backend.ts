import type { Backend, BackendDescription, BackendSpec, Capability, CreateContext, Value } from '../backend.js';
import { BackendTimeoutError } from '../backend.js';
import { checkExpire } from '../options.js';
import type { ForeignWorkerDeclaration } from './foreign-factory.js';
import { ForeignProcess, ForeignWorkerError } from './foreign-process.js';
import {
  decodeValue,
  encodeValue,
  FOREIGN_PROTOCOL_VERSION,
  type WireDescription,
  type WireOp,
  type WorkerWireMessage,
} from './foreign-wire.js';

/**
 * A foreign store as a Backend: every call is one untimed round trip to the
 * worker process (call style async). Runs do not time through this object —
 * the harness sends batches and the worker times each call itself — so the
 * round trip never appears in a run's figures.
 */
export class ForeignBackend implements Backend {
  readonly callStyle = 'async';
  readonly capabilities: ReadonlySet<Capability>;
  incr?: (key: string, delta: number) => Promise<number>;
  pop?: (key: string) => Promise<Value | undefined>;
  add?: (key: string, value: Value, expireSeconds?: number) => Promise<boolean>;
  getMany?: (keys: readonly string[]) => Promise<(Value | undefined)[]>;
  setMany?: (entries: readonly (readonly [string, Value])[]) => Promise<number>;
  deleteMany?: (keys: readonly string[]) => Promise<number>;
  private process: ForeignProcess | undefined;
  private opened: WireDescription | undefined;

  constructor(
    readonly name: string,
    private readonly worker: ForeignWorkerDeclaration,
    private readonly spec: BackendSpec,
    readonly label: string,
    private readonly context: CreateContext = { seed: 0, worker: 0 },
  ) {
    this.capabilities = new Set(worker.capabilities);
    // Only the declared abilities exist as methods, as for every other backend.
    const has = (c: Capability): boolean => this.capabilities.has(c);
    if (has('incr')) this.incr = (key, delta) => this.call(['incr', key, delta]) as Promise<number>;
    if (has('pop')) this.pop = (key) => this.call(['pop', key]) as Promise<Value | undefined>;
    if (has('add')) this.add = (key, value, expireSeconds) => this.write('add', key, value, expireSeconds);
    if (has('getMany')) this.getMany = (keys) => this.call(['get_many', [...keys]]) as Promise<(Value | undefined)[]>;
    if (has('setMany'))
      this.setMany = (entries) =>
        this.call(['set_many', entries.map(([k, v]) => [k, encodeValue(v)])]) as Promise<number>;
    if (has('deleteMany')) this.deleteMany = (keys) => this.call(['delete_many', [...keys]]) as Promise<number>;
  }

  async open(): Promise<void> {
    const process = new ForeignProcess(this.worker.command(this.spec), `${this.name} worker`);
    this.process = process;
    const answer = await process.request({
      type: 'open',
      protocol: FOREIGN_PROTOCOL_VERSION,
      spec: this.spec,
      label: this.label,
      ...this.context,
    });
    this.opened = checkOpened(this.name, this.worker, answer);
  }

  async close(): Promise<void> {
    await this.process?.close();
  }

  get(key: string): Promise<Value | undefined> {
    return this.call(['get', key]) as Promise<Value | undefined>;
  }

  set(key: string, value: Value, expireSeconds?: number): Promise<boolean> {
    return this.write('set', key, value, expireSeconds);
  }

  delete(key: string): Promise<boolean> {
    return this.call(['delete', key]) as Promise<boolean>;
  }

  async clear(): Promise<void> {
    await this.call(['clear']);
  }

  async describe(): Promise<BackendDescription> {
    const wire = (await this.call(['describe'], undefined, false)) as WireDescription;
    return { ...describeForeign(this.name, this.label, this.worker, wire), callStyle: this.callStyle };
  }

  private async write(
    action: 'set' | 'add',
    key: string,
    value: Value,
    expireSeconds: number | undefined,
  ): Promise<boolean> {
    if (expireSeconds !== undefined && !this.capabilities.has('expire')) {
      throw new RangeError(
        `${this.name}: no expire capability; the store keeps no expiry, so an expiring write is refused`,
      );
    }
    checkExpire(this.name, expireSeconds);
    return (await this.call([action, key, encodeValue(value)], expireSeconds)) as boolean;
  }

  /** One round trip; `decode` false keeps the answer as the worker sent it (a description is not a value). */
  private async call(op: WireOp, expire?: number, decode = true): Promise<unknown> {
    if (!this.process || !this.opened)
      throw new ForeignWorkerError(`${this.name}: open() the backend before calling it`);
    const answer = await this.process.request({ type: 'call', op, ...(expire === undefined ? {} : { expire }) });
    if (answer.type !== 'result')
      throw new ForeignWorkerError(`${this.name} worker answered "${answer.type}" to a call`);
    if (answer.error !== undefined) {
      if (answer.timeout) throw new BackendTimeoutError(`${this.name}: ${answer.error}`);
      throw new Error(`${this.name}: ${answer.error}`);
    }
    return decode ? decodeValue(answer.value) : answer.value;
  }
}

/** Checks a worker's `opened` answer: same protocol, same capabilities as declared. */
export function checkOpened(
  name: string,
  worker: ForeignWorkerDeclaration,
  answer: WorkerWireMessage,
): WireDescription {
  if (answer.type !== 'opened') throw new ForeignWorkerError(`${name} worker answered "${answer.type}" to open`);
  if (answer.protocol !== FOREIGN_PROTOCOL_VERSION) {
    throw new ForeignWorkerError(
      `${name} worker speaks protocol ${answer.protocol}; cachebench speaks ${FOREIGN_PROTOCOL_VERSION}`,
    );
  }
  const declared = [...worker.capabilities].sort().join(',');
  const told = [...answer.capabilities].sort().join(',');
  if (declared !== told)
    throw new ForeignWorkerError(`${name} worker has capabilities [${told}] but its factory declares [${declared}]`);
  return answer.description;
}

/** A worker's description in the results file's shape. */
export function describeForeign(
  name: string,
  label: string,
  worker: ForeignWorkerDeclaration,
  wire: WireDescription,
): BackendDescription {
  return {
    name,
    label,
    callStyle: wire.call_style,
    durability: wire.durability,
    capabilities: [...worker.capabilities],
    ...(wire.version === undefined ? {} : { version: wire.version }),
    settings: wire.settings ?? {},
    ...(wire.instance === undefined ? {} : { instance: wire.instance }),
  };
}
