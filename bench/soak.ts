/**
 * The reliability tests at scale: `npm run soak`.
 *
 * Runs, in one vitest process each, with one seed:
 * - crash.test.ts with RELIABILITY_KILLS=700: 700 SIGKILLs of Cache writers and 350 of FanoutCache writers;
 * - model-based.property.test.ts with RELIABILITY_MODEL_SCALE=12: 10,200 command sequences against the model;
 * - io-faults*.test.ts with RELIABILITY_FAULT_ROUNDS=10: the fault matrix (every fault point × store) ten times over;
 * - power-loss.test.ts with RELIABILITY_CRASH_STATES=1000 crash states per configuration.
 * The seed is printed first; `RELIABILITY_SEED=<n> npm run soak` replays a schedule
 * (libfiu draws its own fault moments, so fault runs repeat the op schedule, not each fault).
 * Each part's output goes to $TMPDIR/cachebench-soak-<seed>/<part>.log; the summary lines (what each test covered)
 * and each part's exit status are printed at the end. Exits 1 when any part failed.
 *
 *   npm run soak [-- --only crash,model]
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

interface Part {
  name: string;
  files: string[];
  env: Record<string, string>;
}

const PARTS: Part[] = [
  { name: 'crash', files: ['test/reliability/crash.test.ts'], env: { RELIABILITY_KILLS: '700' } },
  { name: 'model', files: ['test/reliability/model-based.property.test.ts'], env: { RELIABILITY_MODEL_SCALE: '12' } },
  {
    name: 'faults',
    files: [
      'test/reliability/io-faults.test.ts',
      'test/reliability/io-faults-harness.test.ts',
      'test/reliability/io-fault-bugs.test.ts',
    ],
    env: { RELIABILITY_FAULT_ROUNDS: '10' },
  },
  { name: 'power-loss', files: ['test/reliability/power-loss.test.ts'], env: { RELIABILITY_CRASH_STATES: '1000' } },
];

/** Lines the tests print about what they covered. */
const SUMMARY = /^(crash safety|model-based|I\/O faults|harness under faults|power loss)/;

const args = process.argv.slice(2);
const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1]!.split(',')) : undefined;
const seed = Number(process.env.RELIABILITY_SEED ?? randomInt(1, 2 ** 31));
if (!Number.isSafeInteger(seed)) {
  console.error(`soak: RELIABILITY_SEED must be an integer, got ${process.env.RELIABILITY_SEED}`);
  process.exit(2);
}
const out = join(tmpdir(), `cachebench-soak-${seed}`);
mkdirSync(out, { recursive: true });
console.log(`soak: seed ${seed} (replay with RELIABILITY_SEED=${seed} npm run soak); logs in ${out}/`);

function runPart(part: Part): Promise<{ status: number; seconds: number }> {
  const files = part.files.filter((file) => existsSync(file));
  const log = join(out, `${part.name}.log`);
  const started = Date.now();
  console.log(
    `soak: ${part.name}: ${files.join(' ')} (${Object.entries(part.env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ')})`,
  );
  return new Promise((resolve) => {
    const child = spawn(
      'npx',
      ['vitest', 'run', ...files, '--testTimeout=0', '--hookTimeout=0', '--reporter=default'],
      {
        env: { ...process.env, ...part.env, RELIABILITY_SEED: String(seed), NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const sink = createWriteStream(log);
    child.stdout.pipe(sink);
    child.stderr.pipe(sink);
    child.on('close', (code) => resolve({ status: code ?? 1, seconds: Math.round((Date.now() - started) / 1000) }));
  });
}

let failed = 0;
const summary: string[] = [];
for (const part of PARTS) {
  if (only && !only.has(part.name)) continue;
  const { status, seconds } = await runPart(part);
  if (status !== 0) failed++;
  // Colour codes are stripped in case vitest adds them anyway.
  const text = stripVTControlCharacters(readFileSync(join(out, `${part.name}.log`), 'utf8'));
  const covered = text.split('\n').filter((line) => SUMMARY.test(line));
  summary.push(
    `${part.name}: ${status === 0 ? 'passed' : `FAILED (exit ${status}, see ${out}/${part.name}.log)`} in ${seconds} s`,
    ...covered.map((line) => `  ${line}`),
  );
  console.log(summary.slice(-1 - covered.length).join('\n'));
}
console.log(`\nsoak: seed ${seed}\n${summary.join('\n')}`);
process.exit(failed === 0 ? 0 : 1);
