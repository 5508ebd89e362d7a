/**
 * The wire format between cachebench and a worker process written in another
 * language (docs/worker-protocol.md): one JSON object per line, the parent's
 * on the worker's stdin, the worker's answers on its stdout, strictly one
 * answer per message and in order. Versioned by FOREIGN_PROTOCOL_VERSION.
 */
import type { BackendSpec, Durability, Value } from '../backend.js';

export const FOREIGN_PROTOCOL_VERSION = 1;

/** A value on the wire: text as a JSON string, bytes as `{ "b64": … }`, a counter as a number, a miss as null. */
export type WireValue = string | number | boolean | null | { b64: string } | WireValue[];

/** The actions a foreign worker runs; scan travels as get_many, insert and whole-record update as set. */
export type WireAction = 'get' | 'set' | 'delete' | 'incr' | 'pop' | 'add' | 'rmw' | 'get_many';
/** Call-only actions (untimed, one at a time). */
export type WireCallAction = WireAction | 'set_many' | 'delete_many' | 'clear' | 'describe';

/** `[action, key]`, `[action, key, value]`, `["incr", key, delta]`, `["get_many", keys]`. */
export type WireOp = [WireCallAction, ...unknown[]];

export interface WireDescription {
  call_style: 'sync' | 'async';
  durability: Durability;
  version?: string;
  settings?: Record<string, string | number | boolean | null>;
  instance?: Record<string, string | number | boolean | null>;
}

export interface BatchSchedule {
  /** The measurement start on the worker's clock. */
  start_ns: number;
  offset_ns: number;
  period_ns: number;
  /** Index (within the measured phase) of the batch's first operation. */
  first: number;
}

export type ParentWireMessage =
  | { type: 'open'; protocol: number; spec: BackendSpec; label: string; worker: number; seed: number }
  | { type: 'clock' }
  | { type: 'batch'; ops: WireOp[]; at_ns?: number; until_ns?: number; schedule?: BatchSchedule }
  | { type: 'call'; op: WireOp; expire?: number }
  | { type: 'close' };

export interface Timings {
  type: 'timings';
  count: number;
  /** Latency of each op in ns (open loop: from its intended start). */
  ns: number[];
  /** Each op's end on the worker's clock. */
  end_ns: number[];
  /** Open loop: each op's service time. */
  service_ns?: number[];
  /** One letter per op: h answered, m miss, t timed out, e error. */
  outcomes: string;
  /** Error message by op index. */
  errors: Record<string, string>;
  /** pop's value by op index (the conservation check adds them up). */
  values?: Record<string, WireValue>;
}

export type WorkerWireMessage =
  | { type: 'opened'; protocol: number; capabilities: string[]; description: WireDescription }
  | { type: 'clock'; now_ns: number }
  | Timings
  | { type: 'result'; value?: WireValue; error?: string; timeout?: boolean }
  | { type: 'closed' }
  | { type: 'failed'; message: string };

export function encodeValue(value: Value): WireValue {
  return typeof value === 'string'
    ? value
    : { b64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
}

/** Wire → harness value: bytes come back as a Uint8Array, null as undefined. */
export function decodeValue(value: WireValue | undefined): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(decodeValue);
  if (typeof value === 'object' && typeof value.b64 === 'string')
    return new Uint8Array(Buffer.from(value.b64, 'base64'));
  return value;
}
