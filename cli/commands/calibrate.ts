import { join, resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exitCodeForError, processIo, type CommandIo } from '../../compare/command-support.js';
import { CompareInputError } from '../../compare/errors.js';
import { formatCalibration } from '../../compare/format-calibration.js';
import { checkRunArguments, splitArguments } from '../../compare/interleave.js';
import { checkOutputPath } from '../../compare/output-path.js';
import { moduleCommand, siblingModule } from '../../harness/fork-module.js';
import { loadResults } from '../../results/results-io.js';
import { collect } from '../parse-options.js';
import { prepareFolderOption } from '../output-folder.js';
import { DEFAULT_PAIRS } from './compare.js';

interface CalibrateCliOptions {
  run: string;
  pairs?: string;
  trials?: string;
  firstTrial?: string;
  inject?: string[];
  failOn: string;
  reference?: string;
  alpha?: string;
  runsDir?: string;
  json?: string;
}

/** `cachebench calibrate`: a gate's false alarms and catches on this machine, from real runs (docs/compare.md). */
export function register(program: Command, io: CommandIo = processIo): void {
  program
    .command('calibrate')
    .description(
      'measure a regression gate on this machine with real runs: false alarms of identical sides (A/A) and catches of injected regressions (A/B), trial by trial',
    )
    .requiredOption(
      '--run <args>',
      'the `cachebench run` arguments of the gate, e.g. "talk -b sqlite -p 1 -n 5000 -w 500"',
    )
    .requiredOption('--fail-on <rules>', 'the gate\'s rules, as for compare, e.g. "sqlite/set.median>5%"')
    .option(
      '--inject <rule>',
      'a regression to inject into head: an --inject-delay rule (sqlite:set=2us, set=2ms@1%) or METHOD=+P% of its A/A median (sqlite:set=+10%); repeatable',
      collect,
    )
    .option('--pairs <n>', `interleaved pairs per trial (default ${DEFAULT_PAIRS})`)
    .option('--trials <n>', 'trials per condition (default 5)')
    .option(
      '--first-trial <n>',
      "number the trials from N (default 1); seeds follow the number, so '--first-trial 11' adds fresh trials to a calibration of 10",
    )
    .option('--reference <backend>', 'as for compare')
    .option('--alpha <p>', 'as for compare', '0.05')
    .option('--runs-dir <dir>', "where every trial's runs go (default results/calibrate-<time>)")
    .option('--json <file>', "also write every trial's outcome as JSON")
    .action(async (options: CalibrateCliOptions) => {
      io.setExitCode(await calibrateAction(options, io));
    });
}

export async function calibrateAction(options: CalibrateCliOptions, io: CommandIo = processIo): Promise<number> {
  try {
    const runArgs = splitArguments(options.run);
    checkRunArguments(runArgs);
    const pairs = wholeNumber('--pairs', options.pairs, DEFAULT_PAIRS);
    const trials = wholeNumber('--trials', options.trials, 5);
    const firstTrial = wholeNumber('--first-trial', options.firstTrial, 1);
    const alpha = Number(options.alpha ?? '0.05');
    if (!(alpha > 0 && alpha < 0.5))
      throw new CompareInputError(`--alpha ${options.alpha} must be a number between 0 and 0.5, e.g. 0.05`);
    if (options.json !== undefined) checkOutputPath('--json', options.json);
    const stamp = new Date()
      .toISOString()
      .replace(/[:]/g, '-')
      .replace(/\.\d+Z$/, 'Z');
    const outDir = resolve(options.runsDir ?? join('results', `calibrate-${stamp}`));
    await prepareFolderOption('--runs-dir', outDir);
    const { calibrate } = await import('../../compare/calibrate.js');
    const result = await calibrate({
      command: { argv: moduleCommand(siblingModule(import.meta.url, '../main')), cwd: process.cwd() },
      runArgs,
      pairs,
      trials,
      firstTrial,
      injections: options.inject ?? [],
      failOn: options.failOn,
      reference: options.reference,
      alpha,
      outDir,
      load: loadResults,
      onTrial: (t) =>
        io.stderr(
          `calibrate: trial ${t.trial} ${t.condition}: gate ${t.gateFailed ? 'failed' : 'passed'} (${t.seconds.toFixed(0)} s)\n`,
        ),
    });
    io.stdout(formatCalibration(result));
    if (options.json !== undefined)
      writeFileSync(
        options.json,
        `${JSON.stringify({ schema: 'cachebench/calibration', version: 1, run: options.run, ...result }, null, 2)}\n`,
      );
    return 0;
  } catch (error) {
    return exitCodeForError(error, io, 'calibrate');
  }
}

function wholeNumber(flag: string, text: string | undefined, fallback: number): number {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) throw new CompareInputError(`${flag} ${text} must be a whole number ≥ 1`);
  return value;
}
