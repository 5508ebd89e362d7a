import type { Command } from 'commander';
import { painter } from '../shared/colour.js';
import { CompareInputError } from './errors.js';
import { checkOutputPath } from './output-path.js';
import type { ComparisonOutcome } from './run-comparison.js';
import { STATISTIC_NAMES_HELP, statisticByName, type StatisticName } from './statistic.js';

/**
 * What `cachebench compare` and `cachebench baseline check` share on the
 * command line: the comparison options, their validation, and the mapping of
 * outcomes to exit codes (0 pass, 1 regression, 2 bad input).
 */
export interface CommandIo {
  stdout(text: string): void;
  stderr(text: string): void;
  setExitCode(code: number): void;
  /** Ends the process on a command-line syntax error (commander's own parse errors). */
  exit(code: number): void;
}

export const processIo: CommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
  exit: (code) => process.exit(code),
};

export interface ComparisonCliOptions {
  reference?: string;
  failOn?: string;
  markdown?: string;
  json?: string;
  alpha?: string;
  seed?: string;
  stats?: string;
  judgeWithinRun?: boolean;
  pairing?: string;
}

export function addComparisonOptions(command: Command, io: CommandIo): Command {
  return (
    command
      .option(
        '--reference <backend>',
        "divide each statistic by this backend's, run by run, to cancel machine speed (e.g. sqlite-raw)",
      )
      .option(
        '--fail-on <rules>',
        "exit 1 on a significant regression beyond a limit, 2 when too few runs a side to judge it: [backend/]action.statistic>N%, comma separated (e.g. 'set.p99>10%,get.median>5%')",
      )
      .option('--markdown <file>', 'also write the comparison as Markdown (for a PR comment)')
      .option('--json <file>', 'also write the comparison as JSON')
      .option('--alpha <p>', 'significance level of the rank test; CIs are at 1 - alpha', '0.05')
      .option('--seed <n>', 'bootstrap seed (same inputs + seed = same report)', '1')
      .option('--stats <list>', `statistics to compare: ${STATISTIC_NAMES_HELP}`)
      .option(
        '--judge-within-run',
        'with too few runs a side for the rank test (fewer than 4 at alpha 0.05), judge latency anyway on within-run intervals of the merged histograms; RISKY: they ignore run-to-run noise, so unchanged code can fail the gate',
      )
      .option(
        '--pairing <mode>',
        'auto: judge runs that pair one to one by seed (interleaved, same operations) as pairs, with the signed-rank test; off: as independent samples',
        'auto',
      )
      // Syntax errors are bad input too: exit 2, not commander's default 1.
      .exitOverride((error) => io.exit(error.exitCode === 0 ? 0 : 2))
  );
}

export function resolveComparisonOptions(options: ComparisonCliOptions): {
  reference?: string;
  failOn?: string;
  markdownPath?: string;
  jsonPath?: string;
  alpha: number;
  seed: number;
  statistics?: StatisticName[];
  judgeWithinRun: boolean;
  pairing: 'auto' | 'off';
} {
  const alpha = Number(options.alpha ?? '0.05');
  if (!(alpha > 0 && alpha < 0.5))
    throw new CompareInputError(`--alpha ${options.alpha} must be a number between 0 and 0.5, e.g. 0.05`);
  const seed = Number(options.seed ?? '1');
  if (!Number.isInteger(seed) || seed < 0)
    throw new CompareInputError(`--seed ${options.seed} must be a non-negative integer`);
  const statistics = options.stats?.split(',').map((text) => {
    const statistic = statisticByName(text.trim());
    if (!statistic)
      throw new CompareInputError(`--stats: unknown statistic "${text.trim()}"; use ${STATISTIC_NAMES_HELP}`);
    return statistic.name;
  });
  const pairing = options.pairing ?? 'auto';
  if (pairing !== 'auto' && pairing !== 'off') throw new CompareInputError(`--pairing ${pairing} must be auto or off`);
  // Before loading or comparing anything: a bad output path must not cost the verdict.
  if (options.markdown !== undefined) checkOutputPath('--markdown', options.markdown);
  if (options.json !== undefined) checkOutputPath('--json', options.json);
  return {
    reference: options.reference,
    failOn: options.failOn,
    markdownPath: options.markdown,
    jsonPath: options.json,
    alpha,
    seed,
    statistics,
    judgeWithinRun: options.judgeWithinRun === true,
    pairing,
  };
}

/** The table on stdout; when the gate could not be judged (exit 2), also one line on stderr saying why. */
/** The gate's verdict line in colour on a terminal: red when it failed, green when it passed, yellow when not judged. */
function paintVerdicts(table: string, paint: ReturnType<typeof painter>): string {
  return table
    .replace(/^gate: FAILED/m, (t) => paint('red', t))
    .replace(/^gate: passed/m, (t) => paint('green', t))
    .replace(/^gate: NOT JUDGED/m, (t) => paint('yellow', t));
}

export function printOutcome(outcome: ComparisonOutcome, io: CommandIo, commandName = 'compare'): number {
  io.stdout(io === processIo ? paintVerdicts(outcome.table, painter(process.stdout)) : outcome.table);
  if (outcome.notJudged !== undefined) io.stderr(`cachebench ${commandName}: gate not judged: ${outcome.notJudged}\n`);
  return outcome.exitCode;
}

/**
 * Typed errors (they carry a `code`: bad results files, thresholds, options)
 * become one line and exit code 2. Anything else is a bug and keeps its stack.
 */
export function exitCodeForError(error: unknown, io: CommandIo, commandName: string): number {
  if (error instanceof Error && typeof (error as { code?: unknown }).code === 'string') {
    io.stderr(`cachebench ${commandName}: ${error.message}\n`);
    return 2;
  }
  throw error;
}
