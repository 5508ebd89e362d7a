import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  addComparisonOptions,
  exitCodeForError,
  printOutcome,
  processIo,
  resolveComparisonOptions,
  type CommandIo,
  type ComparisonCliOptions,
} from '../../compare/command-support.js';
import { CompareInputError } from '../../compare/errors.js';
import { checkRunArguments, checkoutCommand, runInterleaved, splitArguments } from '../../compare/interleave.js';
import { loadSide } from '../../compare/load-side.js';
import { loadResults } from '../../results/results-io.js';
import { prepareFolderOption } from '../output-folder.js';

/** The interleaved design's defaults, chosen by `cachebench calibrate` measurements (docs/compare.md). */
export const DEFAULT_PAIRS = 10;

export interface CompareCliOptions extends ComparisonCliOptions {
  baseCheckout?: string;
  headCheckout?: string;
  run?: string;
  pairs?: string;
  runsDir?: string;
}

/** `cachebench compare BASE HEAD`, or `--base-checkout A --head-checkout B --run ARGS`: the latency regression gate (docs/compare.md). */
export function register(program: Command, io: CommandIo = processIo): void {
  const command = program
    .command('compare')
    .description(
      'compare two results files or folders of repeated runs — or run two checkouts interleaved and compare the pairs; exit 1 on a significant regression beyond --fail-on, 2 on bad input or too few runs to judge --fail-on',
    )
    .argument('[base]', 'results file, or folder of repeated runs, of the base (before) side')
    .argument('[head]', 'results file, or folder of repeated runs, of the head (after) side')
    .option(
      '--base-checkout <dir>',
      'run the base side from this checkout (its built dist/cli/main.js), interleaved with --head-checkout',
    )
    .option('--head-checkout <dir>', 'run the head side from this checkout, interleaved with --base-checkout')
    .option(
      '--run <args>',
      'with the checkouts: the `cachebench run` arguments both sides use, e.g. "talk -b sqlite -p 1 -n 5000 -w 500" (compare sets each run\'s --seed and --out)',
    )
    .option(
      '--pairs <n>',
      `with the checkouts: base/head pairs to run, each pair back to back, alternating which side goes first (default ${DEFAULT_PAIRS})`,
    )
    .option(
      '--runs-dir <dir>',
      'with the checkouts: where the runs are written, base/ and head/ (default results/compare-<time>)',
    );
  addComparisonOptions(command, io).action(
    async (base: string | undefined, head: string | undefined, options: CompareCliOptions) => {
      io.setExitCode(await compareAction(base, head, options, io));
    },
  );
}

export async function compareAction(
  base: string | undefined,
  head: string | undefined,
  options: CompareCliOptions,
  io: CommandIo = processIo,
): Promise<number> {
  try {
    const resolved = resolveComparisonOptions(options);
    // The statistics load here, when a comparison starts, never for --help.
    const { runComparison } = await import('../../compare/run-comparison.js');
    const sides = await resolveSides(base, head, options, io);
    const outcome = runComparison({
      ...resolved,
      base: await loadSide([sides.base], loadResults, 'BASE'),
      head: await loadSide([sides.head], loadResults, 'HEAD'),
    });
    return printOutcome(outcome, io);
  } catch (error) {
    return exitCodeForError(error, io, 'compare');
  }
}

/** The two sides' results: as given, or made now by running the two checkouts interleaved. */
async function resolveSides(
  base: string | undefined,
  head: string | undefined,
  options: CompareCliOptions,
  io: CommandIo,
): Promise<{ base: string; head: string }> {
  const checkouts = options.baseCheckout !== undefined || options.headCheckout !== undefined;
  if (!checkouts) {
    if (options.run !== undefined || options.pairs !== undefined || options.runsDir !== undefined) {
      throw new CompareInputError('--run, --pairs and --runs-dir go with --base-checkout and --head-checkout');
    }
    if (base === undefined || head === undefined)
      throw new CompareInputError(
        'give BASE and HEAD (results files or folders), or --base-checkout, --head-checkout and --run',
      );
    return { base, head };
  }
  if (base !== undefined || head !== undefined)
    throw new CompareInputError('give either BASE and HEAD results or --base-checkout/--head-checkout, not both');
  if (options.baseCheckout === undefined || options.headCheckout === undefined)
    throw new CompareInputError('--base-checkout and --head-checkout go together');
  if (options.run === undefined)
    throw new CompareInputError(
      '--base-checkout/--head-checkout need --run "<cachebench run arguments>", e.g. --run "talk -b sqlite -p 1 -n 5000 -w 500"',
    );
  const runArgs = splitArguments(options.run);
  checkRunArguments(runArgs);
  const pairs = options.pairs === undefined ? DEFAULT_PAIRS : Number(options.pairs);
  if (!Number.isInteger(pairs) || pairs < 1)
    throw new CompareInputError(`--pairs ${options.pairs} must be a whole number ≥ 1`);
  const stamp = new Date()
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  const outDir = resolve(options.runsDir ?? join('results', `compare-${stamp}`));
  const baseCommand = checkoutCommand(options.baseCheckout);
  const headCommand = checkoutCommand(options.headCheckout);
  await prepareFolderOption('--runs-dir', outDir);
  io.stderr(`cachebench compare: ${pairs} interleaved pairs into ${outDir}\n`);
  const runs = await runInterleaved({ base: baseCommand, head: headCommand, runArgs, pairs, outDir });
  io.stderr(`cachebench compare: ran ${2 * pairs} runs in ${runs.seconds.toFixed(0)} s\n`);
  return { base: join(outDir, 'base'), head: join(outDir, 'head') };
}
