/**
 * Engine self-benchmark: Cache.get / Cache.set against bare better-sqlite3
 * prepared statements on the same machine, in the same run, with the same
 * pragmas, keys and values. Engine and reference alternate in short batches
 * (order flipped each round) so load from other processes hits both alike;
 * only the ratios are meant to be compared across machines.
 *
 *   npm run bench:engine [-- --rounds 40 --batch 2000]
 */
import BetterSqlite3 from 'better-sqlite3';
import * as hdr from 'hdr-histogram-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cache } from '../engine/index.js';
import { seededRandom } from '../shared/rng.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const ROUNDS = option('rounds', 40);
const BATCH = option('batch', 2000);
const KEYS = 100;
const OPS = ['get', 'set', 'miss', 'insert'] as const;
const TARGET: Record<string, number | undefined> = { get: 1.5, set: 2 };

const random = seededRandom(42); // the project's one PRNG: every run uses the same values
const keys = Array.from({ length: KEYS }, (_, i) => `key-${i}`);
const values = Array.from({ length: KEYS }, () => 'v'.repeat(1 + Math.floor(random() * 500)));
const order = Array.from({ length: BATCH }, () => Math.floor(random() * KEYS));

const dir = mkdtempSync(join(tmpdir(), 'cachebench-bench-'));
const cache = new Cache(join(dir, 'engine'));
const s = cache.settings;

// The reference: one table, the same pragmas the engine applied.
const bare = new BetterSqlite3(join(dir, 'bare.db'));
bare.pragma(`page_size = ${s.sqlitePageSize}`);
bare.pragma(`auto_vacuum = ${s.sqliteAutoVacuum}`);
bare.pragma(`journal_mode = ${s.sqliteJournalMode}`);
bare.pragma(`synchronous = ${s.sqliteSynchronous}`);
bare.pragma(`cache_size = ${s.sqliteCacheSize}`);
bare.pragma(`mmap_size = ${s.sqliteMmapSize}`);
bare.exec('CREATE TABLE kv (key TEXT PRIMARY KEY, value BLOB)');
const bareSelect = bare.prepare('SELECT value FROM kv WHERE key = ?').pluck();
const bareInsert = bare.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)');

for (let i = 0; i < KEYS; i++) {
  cache.set(keys[i], values[i]);
  bareInsert.run(keys[i], values[i]);
}

const missing = keys.map((k) => `absent-${k}`);
const inserted = { engine: 0, bare: 0 };

type Op = (i: number) => unknown;
const ops: Record<string, Op> = {
  'engine get': (i) => cache.get(keys[i]),
  'bare get': (i) => bareSelect.get(keys[i]),
  'engine set': (i) => cache.set(keys[i], values[i]),
  'bare set': (i) => bareInsert.run(keys[i], values[i]),
  // Misses and new-key inserts: the paths a cold or growing cache takes.
  'engine miss': (i) => cache.get(missing[i]),
  'bare miss': (i) => bareSelect.get(missing[i]),
  'engine insert': (i) => cache.set(`new-${inserted.engine++}`, values[i]),
  'bare insert': (i) => bareInsert.run(`new-${inserted.bare++}`, values[i]),
};
const histograms = new Map(
  Object.keys(ops).map((name) => [
    name,
    hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 10_000_000_000, numberOfSignificantValueDigits: 3 }),
  ]),
);

let sink = 0;
function batch(name: string): void {
  const op = ops[name];
  const histogram = histograms.get(name)!;
  for (let j = 0; j < BATCH; j++) {
    const i = order[j];
    const start = process.hrtime.bigint();
    const result = op(i);
    const end = process.hrtime.bigint();
    histogram.recordValue(Number(end - start));
    if (result !== undefined) sink++;
  }
}

// Warm-up (JIT, page cache), not recorded.
for (const name of Object.keys(ops)) for (let j = 0; j < 5; j++) ops[name](j);
for (const h of histograms.values()) h.reset();

for (let round = 0; round < ROUNDS; round++) {
  const pairs = OPS.map((op) => [`engine ${op}`, `bare ${op}`]);
  for (const pair of pairs) {
    if (round % 2 === 1) pair.reverse();
    for (const name of pair) batch(name);
  }
}

const us = (ns: number) => (ns / 1000).toFixed(2).padStart(8);
const at = (name: string, p: number) => histograms.get(name)!.getValueAtPercentile(p);
console.log(`engine benchmark: ${ROUNDS} rounds × ${BATCH} ops per side, ${KEYS} keys, values 1–500 bytes`);
console.log(
  `pragmas: journal_mode=${s.sqliteJournalMode} synchronous=${s.sqliteSynchronous} mmap_size=${s.sqliteMmapSize} cache_size=${s.sqliteCacheSize} auto_vacuum=${s.sqliteAutoVacuum}`,
);
console.log('(absolute times depend on machine load; compare the ratios)\n');
console.log('op            median µs    p99 µs');
for (const name of Object.keys(ops)) console.log(`${name.padEnd(12)} ${us(at(name, 50))} ${us(at(name, 99))}`);
console.log('');
for (const op of OPS) {
  const median = at(`engine ${op}`, 50) / at(`bare ${op}`, 50);
  const p99 = at(`engine ${op}`, 99) / at(`bare ${op}`, 99);
  const target = TARGET[op];
  const verdict = target === undefined ? 'no target' : `target ≤ ${target}×, ${median <= target ? 'meets' : 'MISSES'}`;
  console.log(`${op.padEnd(6)}: median ratio ${median.toFixed(2)}× (${verdict}), p99 ratio ${p99.toFixed(2)}×`);
}

cache.close();
bare.close();
rmSync(dir, { recursive: true, force: true });
if (sink < 0) console.log(sink); // keeps results alive so the calls are not optimised away
