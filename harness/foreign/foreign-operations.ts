import { encodeValue, type WireOp } from '../../backends/foreign/foreign-wire.js';
import type { Operation } from '../../scenarios/workload.js';

/**
 * One harness operation as a wire op, or a reason it cannot travel: the wire
 * carries single store calls only. Actions that run TypeScript around the
 * store (read, a scenario's own actions) and a one-field update, which splices
 * bytes in TypeScript, stay in Node.
 */
export function encodeOperation(op: Operation): WireOp {
  switch (op.action) {
    case 'get':
    case 'delete':
    case 'pop':
      return [op.action, op.key];
    case 'set':
    case 'insert':
      return ['set', op.key, encodeValue(op.value!)];
    case 'add':
      return ['add', op.key, encodeValue(op.value!)];
    case 'incr':
      return ['incr', op.key, 1];
    case 'scan':
      return ['get_many', op.keys!];
    case 'update':
      if (op.field === undefined) return ['set', op.key, encodeValue(op.value!)];
      break;
    case 'rmw':
      if (op.field === undefined) return ['rmw', op.key, encodeValue(op.value!)];
      break;
    default:
      break;
  }
  throw new Error(`a foreign worker cannot run "${op.action}"${op.field === undefined ? '' : ' of one field'}`);
}

/** Scenario actions a foreign worker can run (update and rmw only as whole records). */
export const FOREIGN_ACTIONS: ReadonlySet<string> = new Set([
  'get',
  'set',
  'insert',
  'delete',
  'incr',
  'pop',
  'add',
  'scan',
  'update',
  'rmw',
]);
