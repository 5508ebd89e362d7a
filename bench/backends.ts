/**
 * npm run bench:backends — get and set medians of every available backend,
 * relative to sqlite-raw measured in the same run, in one process.
 *
 * Each operation is timed alone with process.hrtime.bigint() into an HDR
 * histogram (no wall-clock averages). Rounds interleave the backends in a
 * rotating order so a burst of load from other processes on this shared
 * machine spreads across all of them; compare the ratios, not the absolute
 * times. Sync backends are called without `await` (as the harness does), so
 * they pay nothing for promises.
 *
 * The key space (250 keys) stays under filebased's default max_entries (300),
 * so every get is a hit in every backend and filebased never culls; its set
 * still lists the whole directory of ~250 files every time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import type { Backend, Provisioned } from '../backends/backend.js';
import { BackendUnavailableError } from '../backends/backend.js';
import { BACKENDS, getBackendFactory } from '../backends/registry.js';
import { isForeignFactory } from '../backends/foreign/foreign-factory.js';
import { parseBackendSelection } from '../backends/spec.js';
import { Rng } from '../shared/rng.js';

const KEYS = 250;
const VALUE_BYTES = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const OPS_PER_ROUND = Number(process.env.BENCH_OPS ?? 500);
const WARMUP_OPS = 200;
const REFERENCE = 'sqlite-raw';
// Every registered backend (the alternative databases too), plus lmdb without fsync and
// leveldb with it: their defaults differ in durability, so both sides of each choice are shown.
// Foreign backends (py-*) time inside their own worker process; called from here every
// operation would be a round trip to it, so they are measured by runs, not by this script.
const SUBJECTS = [...[...BACKENDS].filter(([, factory]) => !isForeignFactory(factory)).map(([name]) => name), 'lmdb:no_sync=yes', 'leveldb:sync=yes'];

interface Subject {
  name: string;
  backend: Backend;
  provisioned: Provisioned;
  sync: boolean;
  get: hdr.Histogram;
  set: hdr.Histogram;
}

const histogram = () => hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e9, numberOfSignificantValueDigits: 3 });

// The project's seeded PRNG picks keys, so every backend sees the same sequence in every run.
function keyPicker(seed: number): () => string {
  const rng = new Rng(seed);
  return () => `key-${rng.nextInt(KEYS)}`;
}

async function time(subject: Subject, op: 'get' | 'set', key: string, value: string): Promise<void> {
  const { backend } = subject;
  if (subject.sync) {
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

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'cachebench-bench-backends-'));
  const subjects: Subject[] = [];
  const value = 'v'.repeat(VALUE_BYTES);
  try {
    for (const text of SUBJECTS) {
      const { name: registered, options, label: name } = parseBackendSelection(text);
      const factory = getBackendFactory(registered);
      let provisioned: Provisioned;
      try {
        provisioned = await factory.provision(options, { directory: mkdtempSync(join(root, `${registered}-`)) });
      } catch (error) {
        if (error instanceof BackendUnavailableError) {
          console.log(`${name}: unavailable — ${error.message}`);
          continue;
        }
        throw error;
      }
      const backend = factory.create(provisioned.spec, name);
      await backend.open();
      for (let i = 0; i < KEYS; i++) await backend.set(`key-${i}`, value);
      subjects.push({ name, backend, provisioned, sync: backend.callStyle === 'sync', get: histogram(), set: histogram() });
    }

    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < subjects.length; i++) {
        const subject = subjects[(round + i) % subjects.length]!;
        const pick = keyPicker(round * 7919 + 1);
        // Untimed warm-up: the first few hundred round trips after another backend's
        // block run slow (scheduler, caches), which would bias whichever op came first.
        for (let op = 0; op < WARMUP_OPS; op++) await subject.backend.get(pick());
        // get and set alternate, so any drift within the block hits both alike.
        for (let op = 0; op < OPS_PER_ROUND; op++) {
          await time(subject, 'get', pick(), value);
          await time(subject, 'set', pick(), value);
        }
      }
    }

    report(subjects);
  } finally {
    for (const s of subjects) {
      await s.backend.close();
      await s.provisioned.teardown();
    }
    rmSync(root, { recursive: true, force: true });
  }
}

function report(subjects: Subject[]): void {
  const reference = subjects.find((s) => s.name === REFERENCE);
  const us = (ns: number) => (ns / 1000).toFixed(ns < 10_000 ? 2 : 1);
  const ratio = (ns: number, ref: number | undefined) => (ref ? `${(ns / ref).toFixed(2)}×` : 'n/a');
  console.log(`\n${ROUNDS} rounds × ${OPS_PER_ROUND} gets + ${OPS_PER_ROUND} sets per backend, ${KEYS} keys, ${VALUE_BYTES}-byte values, one process`);
  console.log(`times in µs; ratio = median / ${REFERENCE} median from this run (shared machine: read the ratios)\n`);
  const header = ['backend', 'call', 'get p50', `get ×${REFERENCE}`, 'get p99', 'set p50', `set ×${REFERENCE}`, 'set p99'];
  const rows = subjects.map((s) => {
    const g50 = s.get.getValueAtPercentile(50);
    const s50 = s.set.getValueAtPercentile(50);
    return [
      s.name,
      s.sync ? 'sync' : 'async',
      us(g50),
      ratio(g50, reference?.get.getValueAtPercentile(50)),
      us(s.get.getValueAtPercentile(99)),
      us(s50),
      ratio(s50, reference?.set.getValueAtPercentile(50)),
      us(s.set.getValueAtPercentile(99)),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

await main();
