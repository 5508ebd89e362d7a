/**
 * One report directory from one or more results files:
 *
 *   index.html          self-contained page (tables, inline SVG plots, environment)
 *   report.md           Markdown tables with the PNG plots
 *   summary.txt         the answer first: backends ranked per action, ratios, throughput
 *   summary.json        the same figures as data (summary.ts's Summary)
 *   tables.txt          the terminal tables
 *   tables.csv/.md/.json  with `exports`: the tables as data
 *   notes.txt           measurement notes: host noise, durability, call style, placement, filesystem
 *   plots/NAME.vl.json  each plot's vega-lite spec, beside NAME.svg and NAME.png
 *   hgrm/SERIES-ACTION.hgrm (µs) and .hlog (interval histograms, ns)
 *   .cachebench-report.json  the files written, so the next report into the folder removes stale ones
 *
 * `cachebench run` calls this after each run; `cachebench report` after loading files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { prepareDirectory } from '../shared/output-location.js';
import { MANIFEST_NAME, readManifest, replaceManifest, undoReport } from './report-manifest.js';
import type { ResultsFile } from '../results/results.js';
import { validateResults } from '../results/results-io.js';
import { ReportError } from './errors.js';
import { HGRM_UNIT, hgrmFiles } from './hgrm.js';
import { escapeHtml, htmlPage, type HtmlPlot } from './html-page.js';
import { measurementNotes, renderNotes, type MeasurementNote } from './measurement-notes.js';
import { renderSvg, svgToPng } from './render-plot.js';
import { renderSeriesTables } from './render-table.js';
import { renderSummary, summaryHtml } from './render-summary.js';
import { actionsOf, collectSeries, fileLabels, slug, type Series } from './series.js';
import { barSpec } from './specs/bar-spec.js';
import type { LatencyScale, TopLevelSpec } from './specs/common.js';
import { percentileSpec } from './specs/percentile-spec.js';
import { plotContext, withSubtitle } from './specs/plot-context.js';
import { intervalCount, latencyOverTimeSpec, throughputSpec } from './specs/time-series-spec.js';
import { overTimeOmission } from './interval-bins.js';
import { timeoutSweepSpec } from './specs/timeout-sweep-spec.js';
import { summarize, type Summary } from './summary.js';
import type { ExportFormat } from './export-formats.js';
import { exportTables, tableRows } from './export-tables.js';
import { DEFAULT_PERCENTILES } from './percentile-list.js';
import { hostFigures } from './host-table.js';
import { notRunBackends, notRunHtml, notRunLines, renderNotRun } from './not-run.js';

export interface ReportOptions {
  /** Labels for the files (the CLI passes file names). @default hostnames, else `run 1`, `run 2`… */
  labels?: readonly string[];
  /** Latency axes. @default 'log' */
  latencyScale?: LatencyScale;
  /** Write PNG images beside the SVGs. @default true */
  png?: boolean;
  /** Page and Markdown title. @default `cachebench: <scenario>` */
  title?: string;
  /** Backend label (or registry name) the summary compares against. @default sqlite-raw, else memory, when present */
  reference?: string;
  /** Percentile columns of the tables and `summary.json` (percentile-list.ts). @default [50, 90, 99] */
  percentiles?: readonly number[];
  /** Also write the tables as `tables.csv`, `tables.md`, `tables.json` (export-tables.ts). @default none */
  exports?: readonly ExportFormat[];
}

export interface ReportPlot {
  name: string;
  title: string;
  /** Paths of the spec, SVG and (when written) PNG. */
  spec: string;
  svg: string;
  png?: string;
}

export interface ReportOutput {
  /** Every file written, absolute or relative as `outDir` was given. */
  files: string[];
  html: string;
  markdown: string;
  /** The timing tables as terminal text, for printing after a run. */
  tables: string;
  /** The ranking per action and the throughput, printed before the tables. */
  summary: Summary;
  /** The summary as terminal text ('' when nothing was measured); summary.txt is `notRunText` followed by it. */
  summaryText: string;
  /** One `not run: …` line per backend that could not run, and a blank line ('' when all ran): print it before the summary. */
  notRunText: string;
  /** Noise, durability, call style, placement and filesystem notes, warnings first. */
  notes: MeasurementNote[];
  /** The notes as terminal text ('' when there are none), printed after the tables. */
  notesText: string;
  plots: ReportPlot[];
  /** Plots left out, with the reason (e.g. a run too short for a course over time). */
  omitted: OmittedPlot[];
}

export interface OmittedPlot {
  title: string;
  reason: string;
}

interface PlannedPlot {
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** Which plots a set of series gets; plots without data are left out rather than drawn empty. */
function planPlots(
  files: readonly ResultsFile[],
  series: readonly Series[],
  latencyScale: LatencyScale,
  omitted: OmittedPlot[],
): PlannedPlot[] {
  const options = { latencyScale };
  const actions = actionsOf(series);
  const plots: PlannedPlot[] = [];
  // Every plot says what it shows, so a PNG shared alone keeps its context.
  const context = plotContext(files, series);
  const hasData = (spec: TopLevelSpec): boolean =>
    'data' in spec &&
    !!spec.data &&
    'values' in spec.data &&
    Array.isArray(spec.data.values) &&
    spec.data.values.length > 0;
  const add = (name: string, title: string, spec: TopLevelSpec | null): void => {
    if (spec && hasData(spec)) plots.push({ name, title, spec: withSubtitle(spec, context) });
  };
  for (const action of actions)
    add(`percentile-${slug(action)}`, `${action} time vs percentile`, percentileSpec(series, action, options));
  for (const action of actions)
    add(`bars-${slug(action)}`, `${action}: median, p90, p99 per backend`, barSpec(series, action, options));
  // Over time needs points, each on enough operations (interval-bins.ts); without them the plot is left out, saying why.
  const intervals = series.map((s) => s.backend.intervals);
  for (const action of actions) {
    const title = `${action} latency over time`;
    const why = overTimeOmission(intervals, (i) => i.actions[action]?.count ?? 0);
    if (why) omitted.push({ title, reason: why });
    else add(`latency-over-time-${slug(action)}`, title, latencyOverTimeSpec(series, action, options));
  }
  const why = overTimeOmission(intervals, intervalCount);
  if (why) omitted.push({ title: 'throughput over time', reason: why });
  else add('throughput', 'throughput over time', throughputSpec(series, options));
  for (const action of actions)
    add(`timeout-sweep-${slug(action)}`, `${action} miss rate vs timeout`, timeoutSweepSpec(series, action, options));
  return plots;
}

export async function generateReport(
  files: readonly ResultsFile[],
  outDir: string,
  options: ReportOptions = {},
): Promise<ReportOutput> {
  if (files.length === 0) throw new ReportError('NO_INPUT', 'no results files given; pass at least one results JSON');
  // Files built in memory (by `run` or a script) get the same checks as files read from disk.
  files.forEach((f, i) => validateResults(f, options.labels?.[i] ?? `results ${i + 1}`));
  const png = options.png ?? true;
  const labels = fileLabels(files, options.labels);
  const series = collectSeries(files, labels);
  // Before any folder is made: a bad --reference fails without leaving anything behind.
  const summary = summarize(files, series, { reference: options.reference });
  const scenarios = [...new Set(files.map((f) => f.scenario.name))];
  const title = options.title ?? `cachebench: ${scenarios.join(', ')}`;
  const written: string[] = [];
  const write = async (path: string, data: string | Buffer): Promise<void> => {
    await writeFile(path, data);
    written.push(path);
  };
  // Never mkdir -p on the user's path (it can spin forever, see shared/output-location.ts).
  const created = await prepareDirectory(outDir);
  try {
    const previous = await readManifest(outDir);
    for (const sub of ['plots', 'hgrm']) {
      if (await makeFolder(join(outDir, sub))) created.push(join(outDir, sub));
    }
    const out = await writeReport(files, outDir, { ...options, png, title, labels, series, summary, write, written });
    await replaceManifest(outDir, previous, written);
    written.push(join(outDir, MANIFEST_NAME));
    return out;
  } catch (error) {
    // A failed report leaves neither half a report nor empty folders behind.
    await undoReport(written, created);
    throw error;
  }
}

/** Creates one folder; true when it was created, false when it was there. */
async function makeFolder(path: string): Promise<boolean> {
  try {
    await mkdir(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

interface WriteContext extends Omit<ReportOptions, 'png' | 'title' | 'labels'> {
  png: boolean;
  title: string;
  labels: string[];
  series: Series[];
  summary: Summary;
  write: (path: string, data: string | Buffer) => Promise<void>;
  written: string[];
}

async function writeReport(
  files: readonly ResultsFile[],
  outDir: string,
  context: WriteContext,
): Promise<ReportOutput> {
  const { png, title, labels, series, summary, write, written } = context;
  const percentiles = context.percentiles ?? DEFAULT_PERCENTILES;

  const plots: ReportPlot[] = [];
  const htmlPlots: HtmlPlot[] = [];
  const omitted: OmittedPlot[] = [];
  for (const planned of planPlots(files, series, context.latencyScale ?? 'log', omitted)) {
    const base = join(outDir, 'plots', planned.name);
    const svg = await renderSvg(planned.spec);
    const plot: ReportPlot = { name: planned.name, title: planned.title, spec: `${base}.vl.json`, svg: `${base}.svg` };
    await write(plot.spec, `${JSON.stringify(planned.spec, null, 2)}\n`);
    await write(plot.svg, svg);
    if (png) {
      plot.png = `${base}.png`;
      await write(plot.png, svgToPng(svg));
    }
    plots.push(plot);
    htmlPlots.push({ title: planned.title, path: `plots/${planned.name}`, svg, spec: planned.spec });
  }

  const hgrm = hgrmFiles(series);
  for (const h of hgrm) {
    await write(join(outDir, 'hgrm', h.name), h.text);
    if (h.hlog) await write(join(outDir, 'hgrm', h.hlog.name), h.hlog.text);
  }

  const summaryText = renderSummary(summary, 'text');
  // A backend that did not run is named here, at the top of the summary, and nowhere else (not-run.ts).
  const notRun = notRunLines(files);
  const notRunText = renderNotRun(notRun, 'text');
  if (notRunText || summaryText) await write(join(outDir, 'summary.txt'), `${notRunText}${summaryText}`);
  // summary.json also holds the table's percentiles (the --percentiles choice) per series and action, in ns.
  const percentileFigures = tableRows(series, percentiles).map(
    ({ series: label, action, count, percentiles: values, maxNs }) => ({
      series: label,
      action,
      count,
      ...values,
      max: maxNs,
    }),
  );
  // A run through agents also gets each host's part; both keys appear only when there is something to say.
  const hosts = hostFigures(series, percentiles);
  const notRunJson = notRunBackends(files);
  const summaryJson = {
    ...(notRunJson.length > 0 ? { notRun: notRunJson } : {}),
    ...summary,
    percentiles: { requested: [...percentiles], unit: 'ns', figures: percentileFigures },
    ...(hosts.length > 0 ? { hosts } : {}),
  };
  await write(join(outDir, 'summary.json'), `${JSON.stringify(summaryJson, null, 2)}\n`);
  const tables = renderSeriesTables(series, 'text', percentiles);
  for (const exported of exportTables(series, context.exports ?? [], percentiles))
    await write(join(outDir, exported.name), exported.text);
  const notes = measurementNotes(series, files);
  const notesText = renderNotes(notes, 'text');
  await write(join(outDir, 'tables.txt'), tables);
  if (notesText) await write(join(outDir, 'notes.txt'), notesText);
  const images = [
    ...plots.map((p) => `![${p.title}](plots/${p.name}.${png ? 'png' : 'svg'})`),
    ...omitted.map((o) => `_${o.title}: left out — ${o.reason}._`),
  ].join('\n\n');
  const markdown = join(outDir, 'report.md');
  const notesMarkdown = renderNotes(notes, 'markdown');
  await write(
    markdown,
    `# ${title}\n\n${renderNotRun(notRun, 'markdown')}${renderSummary(summary, 'markdown')}${notesMarkdown ? `${notesMarkdown}\n` : ''}${renderSeriesTables(series, 'markdown', percentiles)}\n## Plots\n\n${images}\n`,
  );
  const html = join(outDir, 'index.html');
  await write(
    html,
    htmlPage({
      title,
      files,
      fileLabels: labels,
      series,
      percentiles,
      plots: htmlPlots,
      hgrm,
      hgrmUnit: HGRM_UNIT,
      png,
      notes,
      summary: `${notRunHtml(notRun, escapeHtml)}${summaryHtml(summary, escapeHtml)}`,
      omitted,
    }),
  );
  return { files: written, html, markdown, tables, summary, summaryText, notRunText, notes, notesText, plots, omitted };
}
