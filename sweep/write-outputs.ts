/** After the runs: summary.json and the report, in the sweep folder. */
import { join } from 'node:path';
import { OutputLocationError, prepareDirectory } from '../shared/output-location.js';
import { SweepError } from './errors.js';
import type { ResultsFile } from '../results/results.js';
import { writeAtomically } from './manifest.js';
import type { Objective } from './objective.js';
import type { SweepPlan } from './plan.js';
import { writeSweepReport } from './report.js';
import { summarizeSweep, type SweepSummary } from './summary.js';

export interface SweepOutputs {
  summary: SweepSummary;
  summaryPath: string;
  html: string;
  markdown: string;
}

export async function writeSweepOutputs(
  plan: SweepPlan,
  results: ReadonlyMap<string, ResultsFile>,
  objective: Objective,
  outDir: string,
  options: { png?: boolean; confirmations?: ReadonlyMap<string, ResultsFile> } = {},
): Promise<SweepOutputs> {
  // Never mkdir -p (Node's recursive mkdir loops forever under /proc): one level at a time, before any work.
  await prepareDirectory(outDir);
  const summary = summarizeSweep(plan, results, objective, options.confirmations);
  const summaryPath = join(outDir, 'summary.json');
  await writeAtomically(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  const timeoutAxis = plan.grid.find((a) => a.kind === 'engine' && a.option === 'timeout');
  const report = await writeSweepReport(summary, join(outDir, 'report'), {
    png: options.png,
    timeoutSeconds: (text) => {
      const value = timeoutAxis?.values.find((v) => v.text === text)?.value;
      return typeof value === 'number' ? value : undefined;
    },
  });
  return { summary, summaryPath, html: report.html, markdown: report.markdown };
}

/**
 * Creates the sweep folder (and runs/) before the first run, so a bad --out
 * (a path through a file, no permission, a place like /proc where Node's
 * recursive mkdir spins forever) is one line now, not a raw ENOTDIR after
 * minutes of runs or a hang. Throws OUT_DIR.
 */
export async function prepareOutDir(outDir: string): Promise<void> {
  try {
    await prepareDirectory(join(outDir, 'runs'));
  } catch (error) {
    if (!(error instanceof OutputLocationError)) throw error;
    const throughFile = / is a file, not a folder|a folder on its way is a file/.test(error.message);
    const cannotCreate = /^cannot create folder (.*) \((\w+)\)$/.exec(error.message);
    const why = throughFile
      ? 'a part of the path is a file, not a folder'
      : cannotCreate
        ? `${cannotCreate[1]}: ${cannotCreate[2]}`
        : error.message;
    throw new SweepError('OUT_DIR', `--out ${outDir}: cannot create the sweep folder (${why}); choose another --out`);
  }
}
