/**
 * Runs base and head interleaved, pair by pair, for a paired comparison.
 *
 * A shared machine has slow phases (another job, a neighbour's fsync) that
 * last longer than one short run. Running base 1, head 1, head 2, base 2, …
 * puts both members of a pair in the same phase, so the pair's ratio cancels
 * it; alternating which side goes first cancels a steady drift too. Both
 * members of pair i use seed `seed + i`, so they replay the same operations.
 *
 * Each side is a cachebench command line (a checkout's dist/cli/main.js, or
 * the running one) started as a plain process with an argument array: no
 * shell, so nothing in the arguments is ever executed as code.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CompareInputError } from './errors.js';

export interface SideCommand {
  /** The program and its leading arguments, e.g. [process.execPath, '/ck/base/dist/cli/main.js']. */
  argv: readonly string[];
  cwd: string;
  /** Added to the environment of this side's runs (e.g. CACHEBENCH_INJECT_DELAY for a calibration's head). */
  env?: Record<string, string>;
}

export interface InterleavedRunOptions {
  base: SideCommand;
  head: SideCommand;
  /** `cachebench run` arguments both sides share (scenario, backends, sizes); never --out, --seed or --repeat. */
  runArgs: readonly string[];
  pairs: number;
  /** Folder receiving base/run-NN.json and head/run-NN.json. */
  outDir: string;
  /** Seed of pair 1; pair i uses seed + i − 1. @default 1 */
  seed?: number;
  onRun?: (event: { pair: number; side: 'base' | 'head'; seconds: number }) => void;
}

export interface InterleavedRuns {
  basePaths: string[];
  headPaths: string[];
  /** Wall time of all runs together. */
  seconds: number;
}

const OWNED_FLAGS = ['-o', '--out', '-s', '--seed', '--repeat'];

/** Splits `--run` text into arguments: whitespace separates, '…' and "…" group; nothing is expanded. */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (quote) throw new CompareInputError(`--run ${JSON.stringify(text)}: a ${quote} quote is not closed`);
  if (started) args.push(current);
  return args;
}

/** Checks the shared run arguments: the runner owns where results go and which seed each pair uses. */
export function checkRunArguments(args: readonly string[]): void {
  if (args[0] === 'run')
    throw new CompareInputError(
      '--run takes the arguments after `cachebench run` (e.g. --run "talk -b sqlite,sqlite-raw -p 1"), without the word run',
    );
  for (const arg of args) {
    const flag = arg.split('=')[0]!;
    if (OWNED_FLAGS.includes(flag))
      throw new CompareInputError(
        `--run must not set ${flag}: compare chooses each run's output file and seed (pair i runs with seed --seed + i − 1 on both sides)`,
      );
  }
}

/** The command that runs a checkout's built CLI; a checkout without dist/ is refused with the fix. */
export function checkoutCommand(directory: string): SideCommand {
  const root = resolve(directory);
  const main = join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) {
    throw new CompareInputError(
      `${directory}: no dist/cli/main.js; run \`npm ci\` (or \`npm run build\`) in that checkout first`,
    );
  }
  return { argv: [process.execPath, main], cwd: root };
}

export async function runInterleaved(options: InterleavedRunOptions): Promise<InterleavedRuns> {
  checkRunArguments(options.runArgs);
  if (!Number.isInteger(options.pairs) || options.pairs < 1)
    throw new CompareInputError(`--pairs ${options.pairs} must be a whole number ≥ 1`);
  const seed = options.seed ?? 1;
  const width = Math.max(2, String(options.pairs).length);
  const dirs = { base: join(options.outDir, 'base'), head: join(options.outDir, 'head') };
  await mkdir(dirs.base, { recursive: true });
  await mkdir(dirs.head, { recursive: true });
  const paths = { base: [] as string[], head: [] as string[] };
  const started = process.hrtime.bigint();
  for (let i = 0; i < options.pairs; i++) {
    const order: ('base' | 'head')[] = i % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
    for (const side of order) {
      const path = join(dirs[side], `run-${String(i + 1).padStart(width, '0')}.json`);
      const t0 = process.hrtime.bigint();
      await runSide(
        options[side],
        [...options.runArgs, '--seed', String(seed + i), '--out', path, '--quiet', '--no-report'],
        side,
        i + 1,
        path,
      );
      options.onRun?.({ pair: i + 1, side, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
      paths[side].push(path);
    }
  }
  return { basePaths: paths.base, headPaths: paths.head, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * One run to its end. Exit 1 with a results file is a run whose backend was partial or errored:
 * the file is kept and compare judges it (partial runs are compared, errored ones refused by name).
 */
function runSide(
  command: SideCommand,
  args: readonly string[],
  side: string,
  pair: number,
  path: string,
): Promise<void> {
  const [program, ...lead] = command.argv;
  return new Promise((done, fail) => {
    const child = spawn(program!, [...lead, 'run', ...args], {
      cwd: command.cwd,
      env: { ...process.env, ...command.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) =>
      fail(new CompareInputError(`${side} run ${pair}: could not start ${program}: ${error.message}`)),
    );
    child.on('close', (code, signal) => {
      if (code === 0 || (code === 1 && existsSync(path))) return done();
      // The CLI's own one-line error, not the usage hint printed after it.
      const lines = stderr.trim().split('\n').filter(Boolean);
      const last = lines.find((line) => line.startsWith('error')) ?? lines.pop() ?? '';
      const why = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      fail(new CompareInputError(`${side} run ${pair} ${why}${last ? `: ${last}` : ''}`));
    });
  });
}
