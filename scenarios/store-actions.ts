import type { Backend, Value } from '../backends/backend.js';
import { isThenable } from '../shared/is-thenable.js';
import type { ActionDefinition } from './action.js';
import { numericValue } from './numeric-value.js';
import type { MixAction } from './scenario.js';
import { withField } from './ycsb/record-field.js';

const missingValue = (result: unknown): boolean => result === undefined;
const declined = (result: unknown): boolean => result === false;

/**
 * The actions that are one store call, or a few timed together (YCSB's
 * read-modify-write and one-field update, streaming a value). A miss is no
 * value for reads and `false` for writes that declined.
 */
export const STORE_ACTIONS: Readonly<Record<Exclude<MixAction, 'crawl'>, ActionDefinition>> = {
  get: { perform: (backend, op) => backend.get(op.key), isMiss: missingValue },
  set: { perform: (backend, op) => backend.set(op.key, op.value!), isMiss: declined },
  insert: { perform: (backend, op) => backend.set(op.key, op.value!), isMiss: declined },
  delete: { perform: (backend, op) => backend.delete(op.key), isMiss: declined },
  // Every answered incr is one increment issued; the conservation check adds them up.
  incr: {
    perform: (backend, op) => backend.incr!(op.key, 1),
    isMiss: () => false,
    after: (_result, { tally }) => {
      tally.incremented = (tally.incremented ?? 0) + 1;
    },
  },
  // What pop drains counts against the increments (conservation check).
  pop: {
    perform: (backend, op) => backend.pop!(op.key),
    isMiss: missingValue,
    after: (result, { tally }) => {
      if (result !== undefined) tally.drained = (tally.drained ?? 0) + numericValue(result);
    },
  },
  add: { perform: (backend, op) => backend.add!(op.key, op.value!), isMiss: declined },
  scan: {
    perform: (backend, op) => backend.getMany!(op.keys!),
    isMiss: (result) => Array.isArray(result) && result.includes(undefined),
  },
  read: { perform: (backend, op) => readAll(backend, op.key), isMiss: missingValue },
  // A field update answers the record it read (undefined: no record, nothing written); a whole-record update answers set's boolean.
  update: {
    perform: (backend, op) =>
      op.field === undefined
        ? backend.set(op.key, op.value!)
        : updateField(backend, op.key, op.value as Uint8Array, op.field),
    isMiss: (result) => result === undefined || result === false,
  },
  rmw: {
    perform: (backend, op) =>
      op.field === undefined
        ? readModifyWrite(backend, op.key, op.value!)
        : updateField(backend, op.key, op.value as Uint8Array, op.field),
    isMiss: missingValue,
  },
};

// The whole stream is consumed inside the timed region: serving a file means reading all of it.
async function readAll(backend: Backend, key: string): Promise<number | undefined> {
  let stream = backend.read!(key);
  if (isThenable(stream)) stream = await stream;
  if (stream === undefined) return undefined;
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array | string>) bytes += chunk.length;
  return bytes;
}

// YCSB F: read a record, then write it back modified; a miss still writes.
function readModifyWrite(backend: Backend, key: string, value: Value): unknown {
  const got = backend.get(key);
  if (isThenable(got)) {
    return (got as Promise<Value | undefined>).then(async (previous) => {
      await backend.set(key, value);
      return previous;
    });
  }
  const written = backend.set(key, value);
  return isThenable(written) ? (written as Promise<boolean>).then(() => got) : got;
}

// YCSB update of one field: read the record, write it back with the field replaced. A missing
// record is not written (YCSB's RocksDB binding answers NOT_FOUND). Answers the record read.
function updateField(backend: Backend, key: string, field: Uint8Array, index: number): unknown {
  const got = backend.get(key);
  if (isThenable(got)) {
    return (got as Promise<Value | undefined>).then(async (previous) => {
      if (previous !== undefined) await backend.set(key, withField(previous, field, index));
      return previous;
    });
  }
  if (got === undefined) return undefined;
  const written = backend.set(key, withField(got as Value, field, index));
  return isThenable(written) ? (written as Promise<boolean>).then(() => got) : got;
}
