import type { Command } from 'commander';
import { loadResults, writeResults } from '../../results/results-io.js';
import type { ResultsFile } from '../../results/results.js';
import type { HostPart } from '../../results/host-part.js';
import { plural } from '../../shared/plural.js';
import { failWith, processIo, type ReportIo } from './report.js';

export async function mergeAction(
  paths: readonly string[],
  options: { out: string },
  io: ReportIo = processIo,
): Promise<void> {
  try {
    if (paths.length < 2) throw new Error('merge needs two or more results files of the same configuration');
    const files = [];
    for (const path of paths) files.push(await loadResults(path));
    const { mergeResults } = await import('../../results/merge-results.js');
    const merged = mergeResults(files);
    await writeResults(options.out, merged);
    const operations = merged.backends.reduce(
      (t, b) => t + Object.values(b.actions).reduce((s, a) => s + a.count, 0),
      0,
    );
    io.stdout(`merged ${paths.length} runs (${plural(operations, 'operation', 'operations')}) into ${options.out}\n`);
    const { workerRange } = await import('../../reports/host-table.js');
    for (const line of hostLines(files, merged, workerRange)) io.stdout(`  ${line}\n`);
  } catch (error) {
    failWith(io, 'merge', error);
  }
}

/** Per backend run through agents: the hosts whose parts were merged, or why they were left out. */
function hostLines(
  files: readonly ResultsFile[],
  merged: ResultsFile,
  workerRange: (part: HostPart) => string,
): string[] {
  return merged.backends.flatMap((b) => {
    if (b.hosts && b.hosts.length > 0)
      return [
        `${b.label}: per-host parts merged for ${b.hosts.map((h) => `${h.agent} (workers ${workerRange(h)})`).join(', ')}`,
      ];
    const withHosts = files.filter((f) => f.backends.some((x) => x.label === b.label && x.hosts && x.hosts.length > 0));
    if (withHosts.length === 0) return [];
    return [
      `${b.label}: per-host parts left out: the runs did not all split their workers over the same agents the same way (${withHosts.length} of ${files.length} ran through agents); the merged figures are complete`,
    ];
  });
}

/** `cachebench merge a.json b.json -o merged.json`: adds the histograms of runs of one configuration. */
export function register(program: Command, io: ReportIo = processIo): void {
  program
    .command('merge')
    .description('merge results files of repeated runs of the same configuration by adding their histograms')
    .argument('<results...>', 'results JSON files of the same scenario, parameters and backends')
    .requiredOption('-o, --out <file>', 'merged results file to write')
    .action(async (paths: string[], options: { out: string }) => {
      await mergeAction(paths, options, io);
    });
}
