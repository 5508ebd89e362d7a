import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { plural } from '../../shared/plural.js';
import { DEFAULT_BASELINE_FILE, makeBaseline, readBaseline, writeBaseline } from '../../compare/baseline.js';
import {
  addComparisonOptions,
  exitCodeForError,
  printOutcome,
  processIo,
  resolveComparisonOptions,
  type CommandIo,
  type ComparisonCliOptions,
} from '../../compare/command-support.js';
import { loadSide } from '../../compare/load-side.js';
import { checkOutputPath } from '../../compare/output-path.js';
import { loadResults, validateResults } from '../../results/results-io.js';
import { prepareFileOption } from '../output-folder.js';

/** `cachebench baseline save|check`: a baseline kept in the repository (docs/compare.md). */
export function register(program: Command, io: CommandIo = processIo): void {
  const baseline = program
    .command('baseline')
    .description('keep a baseline of repeated runs in the repository and check new runs against it');
  baseline
    .command('save')
    .description('save results (files or folders of repeated runs) as the baseline')
    .argument('<results...>', 'results files or folders of repeated runs')
    .option('--file <path>', 'baseline file', DEFAULT_BASELINE_FILE)
    .exitOverride((error) => io.exit(error.exitCode === 0 ? 0 : 2))
    .action(async (results: string[], options: { file: string }) => {
      io.setExitCode(await saveAction(results, options, io));
    });
  const check = baseline
    .command('check')
    .description(
      'compare results against the baseline; exit 1 on a significant regression beyond --fail-on, 2 on bad input or too few runs to judge --fail-on',
    )
    .argument('<results...>', 'results files or folders of repeated runs (the head side)')
    .option('--file <path>', 'baseline file', DEFAULT_BASELINE_FILE);
  addComparisonOptions(check, io).action(
    async (results: string[], options: ComparisonCliOptions & { file: string }) => {
      io.setExitCode(await checkAction(results, options, io));
    },
  );
}

export async function saveAction(
  results: string[],
  options: { file?: string },
  io: CommandIo = processIo,
): Promise<number> {
  const file = options.file ?? DEFAULT_BASELINE_FILE;
  try {
    checkOutputPath('--file', file, { createFolders: true }); // before reading the runs
    const side = await loadSide(results, loadResults, 'results');
    const baseline = makeBaseline(side.files, new Date());
    await prepareFileOption('--file', file);
    writeBaseline(file, baseline);
    const backends = baseline.runs[0].backends.map((b) => b.label).join(', ');
    io.stdout(
      `saved ${plural(baseline.runs.length, 'run', 'runs')} of scenario ${baseline.runs[0].scenario.name} (${backends}) to ${file}, ${Math.ceil(statSync(file).size / 1024)} KiB\n`,
    );
    return 0;
  } catch (error) {
    return exitCodeForError(error, io, 'baseline save');
  }
}

export async function checkAction(
  results: string[],
  options: ComparisonCliOptions & { file?: string },
  io: CommandIo = processIo,
): Promise<number> {
  const file = options.file ?? DEFAULT_BASELINE_FILE;
  try {
    const resolved = resolveComparisonOptions(options);
    const baseline = readBaseline(file, validateResults);
    const { runComparison } = await import('../../compare/run-comparison.js');
    const outcome = runComparison({
      ...resolved,
      base: { files: baseline.runs, sources: baseline.runs.map((_, i) => `${file} run ${i + 1}`) },
      head: await loadSide(results, loadResults, 'results'),
    });
    return printOutcome(outcome, io, 'baseline check');
  } catch (error) {
    return exitCodeForError(error, io, 'baseline check');
  }
}
