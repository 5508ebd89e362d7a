import type { Command } from 'commander';
import {
  addComparisonOptions, exitCodeForError, printOutcome, processIo, resolveComparisonOptions,
  type CommandIo, type ComparisonCliOptions,
} from '../../compare/command-support.js';
import { loadSide } from '../../compare/load-side.js';
import { runComparison } from '../../compare/run-comparison.js';
import { loadResults } from '../../harness/results-io.js';

/** `cachebench compare BASE HEAD`: the latency regression gate (docs/compare.md). */
export function register(program: Command, io: CommandIo = processIo): void {
  const command = program
    .command('compare')
    .description('compare two results files or folders of repeated runs; exit 1 on a significant regression beyond --fail-on, 2 on bad input or too few runs to judge --fail-on')
    .argument('<base>', 'results file, or folder of repeated runs, of the base (before) side')
    .argument('<head>', 'results file, or folder of repeated runs, of the head (after) side');
  addComparisonOptions(command, io).action(async (base: string, head: string, options: ComparisonCliOptions) => {
    io.setExitCode(await compareAction(base, head, options, io));
  });
}

export async function compareAction(base: string, head: string, options: ComparisonCliOptions, io: CommandIo = processIo): Promise<number> {
  try {
    const resolved = resolveComparisonOptions(options);
    const outcome = runComparison({
      ...resolved,
      base: await loadSide([base], loadResults, 'BASE'),
      head: await loadSide([head], loadResults, 'HEAD'),
    });
    return printOutcome(outcome, io);
  } catch (error) {
    return exitCodeForError(error, io, 'compare');
  }
}
