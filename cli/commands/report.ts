import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { loadResults } from '../../results/results-io.js';
import { parseExportFormats, type ExportFormat } from '../../reports/export-formats.js';
import { parsePercentiles } from '../../reports/percentile-list.js';

/** Where commands write; tests pass their own to capture output. */
export interface ReportIo {
  stdout(text: string): void;
  stderr(text: string): void;
  setExitCode(code: number): void;
}

export const processIo: ReportIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  setExitCode: (code) => {
    process.exitCode = code;
  },
};

export interface ReportCliOptions {
  out: string;
  labels?: string;
  linear?: boolean;
  png: boolean;
  title?: string;
  reference?: string;
  percentiles?: number[];
  export?: ExportFormat[];
}

/** Commander parsers for the options `run` and `report` share: a bad value is commander's one-line error, exit 2. */
function asArgumentError<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  };
}
export const percentilesOption = asArgumentError(parsePercentiles);
export const exportOption = asArgumentError(parseExportFormats);
export const PERCENTILES_HELP =
  'percentile columns of the tables and summary.json, comma-separated, each above 0 and below 100 (default: 50,90,99; Max is always shown)';
export const EXPORT_HELP =
  'also write the tables as data: csv, md, json (comma-separated) — tables.csv, tables.md, tables.json in the report folder';

/**
 * Series labels from file names: `box-a.json` → `box-a`. Files with the same
 * name in different folders (`a/results.json`, `b/results.json`) take the
 * folder too, so their lines stay apart.
 */
export function labelsFromPaths(paths: readonly string[]): string[] {
  const names = paths.map((p) => basename(p).replace(/\.json$/i, ''));
  if (new Set(names).size === names.length) return names;
  return paths.map((p) => join(basename(dirname(p)), basename(p).replace(/\.json$/i, '')));
}

/** Any failure is one line on stderr and exit code 2: bad input, never a stack trace. */
export function failWith(io: ReportIo, command: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`cachebench ${command}: ${message.split('\n')[0]}\n`);
  io.setExitCode(2);
}

export async function reportAction(
  paths: readonly string[],
  options: ReportCliOptions,
  io: ReportIo = processIo,
): Promise<void> {
  try {
    const files = [];
    for (const path of paths) files.push(await loadResults(path));
    const labels = options.labels ? options.labels.split(',').map((l) => l.trim()) : labelsFromPaths(paths);
    if (labels.length !== paths.length) {
      throw new Error(
        `--labels has ${labels.length} labels for ${paths.length} files; give one label per file, comma-separated`,
      );
    }
    // The renderers (vega, resvg) load here, when a report is made, never for --help.
    const { generateReport } = await import('../../reports/index.js');
    const out = await generateReport(files, options.out, {
      labels,
      latencyScale: options.linear ? 'linear' : 'log',
      png: options.png,
      title: options.title,
      reference: options.reference,
      percentiles: options.percentiles,
      exports: options.export,
    });
    // What did not run, then the answer, then the tables behind it, then the notes on how far to trust them.
    if (out.notRunText) io.stdout(out.notRunText);
    if (out.summaryText) io.stdout(`${out.summaryText}\n`);
    io.stdout(out.tables);
    if (out.notesText) io.stdout(`\n${out.notesText}`);
    io.stdout(`\nreport: ${out.html} (${out.plots.length} plots, ${out.files.length} files in ${options.out})\n`);
  } catch (error) {
    failWith(io, 'report', error);
  }
}

/** `cachebench report results.json [more.json …] --out report/` (docs/reports.md). */
export function register(program: Command, io: ReportIo = processIo): void {
  program
    .command('report')
    .description(
      'tables, time-vs-percentile and other plots (SVG, PNG, vega-lite), .hgrm files and an offline index.html from results files; several files overlay as series',
    )
    .argument('<results...>', 'results JSON files written by `cachebench run`')
    .option('-o, --out <dir>', 'output folder', 'report')
    .option('--labels <list>', 'comma-separated label per file (default: file names)')
    .option('--linear', 'linear latency axes instead of log')
    .option('--no-png', 'skip PNG images (SVG and specs only)')
    .option('--title <text>', 'page title')
    .option(
      '--reference <backend>',
      'backend the summary compares every other against (default: sqlite-raw, else memory, when present)',
    )
    .option('--percentiles <list>', PERCENTILES_HELP, percentilesOption)
    .option('--export <formats>', EXPORT_HELP, exportOption)
    .action(async (paths: string[], options: ReportCliOptions) => {
      await reportAction(paths, options, io);
    });
}
