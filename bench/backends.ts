/**
 * npm run bench:backends — get and set medians of every available backend,
 * relative to sqlite-raw measured in the same run, in one process.
 *
 * Each operation is timed alone into an HDR histogram (no wall-clock
 * averages). Rounds interleave the backends in a rotating order so a burst of
 * load from other processes on this shared machine spreads across all of
 * them; compare the ratios, not the absolute times. In-process backends are
 * timed here with process.hrtime.bigint(); sync ones are called without
 * `await` (as the harness does), so they pay nothing for promises.
 *
 * Foreign backends (py-*) are timed where runs time them: inside their own
 * worker process, each call between two readings of the worker's monotonic
 * clock (docs/worker-protocol.md, `batch`). Timed from here, every operation
 * would also carry a pipe round trip and two JSON codings that no run
 * measures. The same keys go to the worker as one batch per round; py-dict,
 * a dict timed the same way, is the floor of that timing.
 *
 * The key space (250 keys) stays under filebased's default max_entries (300),
 * so every get is a hit in every backend and filebased never culls; its set
 * still lists the whole directory of ~250 files every time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import type { Backend, BackendFactory, BackendOptions, Provisioned } from '../backends/backend.js';
import { BackendUnavailableError } from '../backends/backend.js';
import { BACKENDS, getBackendFactory } from '../backends/registry.js';
import { checkOpened } from '../backends/foreign/foreign-backend.js';
import { isForeignFactory, type ForeignBackendFactory } from '../backends/foreign/foreign-factory.js';
import { ForeignProcess } from '../backends/foreign/foreign-process.js';
import { FOREIGN_PROTOCOL_VERSION, type WireOp } from '../backends/foreign/foreign-wire.js';
import { parseBackendSelection } from '../backends/spec.js';
import { Rng } from '../shared/rng.js';

const KEYS = 250;
const VALUE_BYTES = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const OPS_PER_ROUND = Number(process.env.BENCH_OPS ?? 500);
const WARMUP_OPS = 200;
const REFERENCE = 'sqlite-raw';
// Every registered backend (the alternative databases and the Python originals too), plus the
// other side of each durability choice whose default differs between stores: lmdb without
// fsync, leveldb and rocksdb with it, Berkeley DB with a log (unsynced and synced).
const SUBJECTS = [
  ...BACKENDS.keys(),
  'lmdb:no_sync=yes',
  'leveldb:sync=yes',
  'rocksdb:sync=yes',
  'py-berkeleydb:transactions=write-nosync',
  'py-berkeleydb:transactions=sync',
];

/** Where a subject's operations are timed. */
type Timing = 'sync' | 'async' | 'in worker';

interface Subject {
  name: string;
  timing: Timing;
  get: hdr.Histogram;
  set: hdr.Histogram;
  /** Untimed gets of `keys`. */
  warm(keys: string[]): Promise<void>;
  /** Alternating timed get and set: the get of keys[2i], then the set of keys[2i + 1]. */
  measure(keys: string[], value: string): Promise<void>;
  close(): Promise<void>;
}

const histogram = () =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e9, numberOfSignificantValueDigits: 3 });

// The project's seeded PRNG picks keys, so every backend sees the same sequence in every run.
function keyPicker(seed: number): () => string {
  const rng = new Rng(seed);
  return () => `key-${rng.nextInt(KEYS)}`;
}

function inProcessSubject(name: string, backend: Backend, provisioned: Provisioned): Subject {
  const sync = backend.callStyle === 'sync';
  const subject: Subject = {
    name,
    timing: sync ? 'sync' : 'async',
    get: histogram(),
    set: histogram(),
    async warm(keys) {
      for (const key of keys) await backend.get(key);
    },
    async measure(keys, value) {
      for (let i = 0; i < keys.length; i += 2) {
        await time('get', keys[i]!);
        await time('set', keys[i + 1]!);
      }
      async function time(op: 'get' | 'set', key: string): Promise<void> {
        if (sync) {
          const start = process.hrtime.bigint();
          if (op === 'get') backend.get(key);
          else backend.set(key, value);
          subject[op].recordValue(Number(process.hrtime.bigint() - start));
        } else {
          const start = process.hrtime.bigint();
          await (op === 'get' ? backend.get(key) : backend.set(key, value));
          subject[op].recordValue(Number(process.hrtime.bigint() - start));
        }
      }
    },
    async close() {
      await backend.close();
      await provisioned.teardown();
    },
  };
  return subject;
}

/** A foreign worker driven with the protocol's batches; the latencies are the worker's own readings. */
async function foreignSubject(
  name: string,
  factory: ForeignBackendFactory,
  provisioned: Provisioned,
  value: string,
): Promise<Subject> {
  const worker = new ForeignProcess(factory.worker.command(provisioned.spec), `${name} worker`);
  checkOpened(
    name,
    factory.worker,
    await worker.request({
      type: 'open',
      protocol: FOREIGN_PROTOCOL_VERSION,
      spec: provisioned.spec,
      label: name,
      worker: 0,
      seed: 0,
    }),
  );
  const batch = async (ops: WireOp[]) => {
    const answer = await worker.request({ type: 'batch', ops });
    if (answer.type !== 'timings' || answer.count !== ops.length || /[te]/.test(answer.outcomes)) {
      throw new Error(`${name}: the worker's batch did not run cleanly: ${JSON.stringify(answer).slice(0, 300)}`);
    }
    return answer.ns;
  };
  for (let i = 0; i < KEYS; i++) await worker.request({ type: 'call', op: ['set', `key-${i}`, value] });
  const subject: Subject = {
    name,
    timing: 'in worker',
    get: histogram(),
    set: histogram(),
    async warm(keys) {
      await batch(keys.map((key): WireOp => ['get', key]));
    },
    async measure(keys) {
      const ns = await batch(keys.map((key, i): WireOp => (i % 2 === 0 ? ['get', key] : ['set', key, value])));
      ns.forEach((latency, i) => (i % 2 === 0 ? subject.get : subject.set).recordValue(latency));
    },
    async close() {
      await worker.close();
      await provisioned.teardown();
    },
  };
  return subject;
}

async function openSubject(
  name: string,
  factory: BackendFactory,
  options: BackendOptions,
  directory: string,
  value: string,
): Promise<Subject | undefined> {
  let provisioned: Provisioned;
  try {
    provisioned = await factory.provision(options, { directory });
  } catch (error) {
    if (error instanceof BackendUnavailableError) {
      console.log(`${name}: unavailable — ${error.message}`);
      return undefined;
    }
    throw error;
  }
  if (isForeignFactory(factory)) return foreignSubject(name, factory, provisioned, value);
  const backend = factory.create(provisioned.spec, name);
  await backend.open();
  for (let i = 0; i < KEYS; i++) await backend.set(`key-${i}`, value);
  return inProcessSubject(name, backend, provisioned);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'cachebench-bench-backends-'));
  const subjects: Subject[] = [];
  const value = 'v'.repeat(VALUE_BYTES);
  try {
    for (const text of SUBJECTS) {
      const { name: registered, options, label } = parseBackendSelection(text);
      const subject = await openSubject(
        label,
        getBackendFactory(registered),
        options,
        mkdtempSync(join(root, `${registered}-`)),
        value,
      );
      if (subject) subjects.push(subject);
    }

    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < subjects.length; i++) {
        const subject = subjects[(round + i) % subjects.length]!;
        const pick = keyPicker(round * 7919 + 1);
        // Untimed warm-up: the first few hundred round trips after another backend's
        // block run slow (scheduler, caches), which would bias whichever op came first.
        await subject.warm(Array.from({ length: WARMUP_OPS }, pick));
        // get and set alternate, so any drift within the block hits both alike.
        await subject.measure(Array.from({ length: 2 * OPS_PER_ROUND }, pick), value);
      }
    }

    report(subjects);
  } finally {
    for (const s of subjects) await s.close();
    rmSync(root, { recursive: true, force: true });
  }
}

function report(subjects: Subject[]): void {
  const reference = subjects.find((s) => s.name === REFERENCE);
  const us = (ns: number) => (ns / 1000).toFixed(ns < 10_000 ? 2 : 1);
  const ratio = (ns: number, ref: number | undefined) => (ref ? `${(ns / ref).toFixed(2)}×` : 'n/a');
  console.log(
    `\n${ROUNDS} rounds × ${OPS_PER_ROUND} gets + ${OPS_PER_ROUND} sets per backend, ${KEYS} keys, ${VALUE_BYTES}-byte values, one process`,
  );
  console.log(`times in µs; ratio = median / ${REFERENCE} median from this run (shared machine: read the ratios)`);
  console.log(
    `call "in worker": timed inside the backend's own worker process (no round trip), as runs time it; py-dict is that timing's floor\n`,
  );
  const header = [
    'backend',
    'call',
    'get p50',
    `get ×${REFERENCE}`,
    'get p99',
    'set p50',
    `set ×${REFERENCE}`,
    'set p99',
  ];
  const rows = subjects.map((s) => {
    const g50 = s.get.getValueAtPercentile(50);
    const s50 = s.set.getValueAtPercentile(50);
    return [
      s.name,
      s.timing,
      us(g50),
      ratio(g50, reference?.get.getValueAtPercentile(50)),
      us(s.get.getValueAtPercentile(99)),
      us(s50),
      ratio(s50, reference?.set.getValueAtPercentile(50)),
      us(s.set.getValueAtPercentile(99)),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

await main();
