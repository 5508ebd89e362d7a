import type { Backend, Value } from '../backends/backend.js';
import { crawlPage, type CrawlOutcome } from '../scenarios/crawler.js';
import type { Operation } from '../scenarios/workload.js';
import { withField } from '../scenarios/ycsb/record-field.js';

/** A promise-like result: the harness awaits only these, so sync stores are timed without an await. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Issues one operation and returns the backend's raw result (a value, or a
 * promise for async stores). Kept to one switch so the timed region holds the
 * backend call and nothing else.
 */
export function perform(backend: Backend, op: Operation): unknown {
  switch (op.action) {
    case 'get': return backend.get(op.key);
    case 'set': case 'insert': return backend.set(op.key, op.value!);
    case 'delete': return backend.delete(op.key);
    case 'incr': return backend.incr!(op.key, 1);
    case 'pop': return backend.pop!(op.key);
    case 'add': return backend.add!(op.key, op.value!);
    case 'scan': return backend.getMany!(op.keys!);
    case 'crawl': return crawlPage(backend, op.key, op.graphSize);
    case 'read': return readAll(backend, op.key);
    case 'update': return op.field === undefined ? backend.set(op.key, op.value!) : updateField(backend, op.key, op.value as Uint8Array, op.field);
    case 'rmw': return op.field === undefined ? readModifyWrite(backend, op.key, op.value!) : updateField(backend, op.key, op.value as Uint8Array, op.field);
  }
}

/** Whether a result counts as a miss: no value for reads, `false` for writes that declined. */
export function isMiss(action: Operation['action'], result: unknown): boolean {
  switch (action) {
    case 'get': case 'pop': case 'read': case 'rmw': return result === undefined;
    case 'set': case 'insert': case 'delete': case 'add': return result === false;
    // A field update answers the record it read (undefined: no record, nothing written); a whole-record update answers set's boolean.
    case 'update': return result === undefined || result === false;
    case 'scan': return Array.isArray(result) && result.includes(undefined);
    case 'incr': return false;
    // A crawl that found its page in the cache is a hit; a fetch is the miss.
    case 'crawl': return !(result as CrawlOutcome).hit;
  }
}

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

/** Reads a counter value (`pop` of analytics) as a number, whatever type the store returns. */
export function numericValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (value instanceof Uint8Array) return Number(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'));
  return Number.NaN;
}
