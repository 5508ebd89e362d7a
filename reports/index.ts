/**
 * The reports package: what `cachebench run`, `report` and `merge` call.
 * Input is the results file (results/results.ts), read through results/.
 */
export { generateReport, type ReportOptions, type ReportOutput, type ReportPlot } from './generate-report.js';
export { renderTable, type RenderTableOptions, type TableFormat } from './render-table.js';
export {
  formatCount,
  formatDuration,
  formatPercent,
  formatRatio,
  type FormatDurationOptions,
} from './format-duration.js';
export { mergeResults } from '../results/merge-results.js';
export { ReportError, type ReportErrorCode } from './errors.js';
export { HGRM_UNIT, HGRM_UNIT_RATIO, hgrmFiles } from './hgrm.js';
export { collectSeries, type Series } from './series.js';
export { percentileSpec } from './specs/percentile-spec.js';
export { barSpec } from './specs/bar-spec.js';
export { latencyOverTimeSpec, throughputSpec } from './specs/time-series-spec.js';
export { detectTimeoutSweep, timeoutSweepSpec } from './specs/timeout-sweep-spec.js';
export { renderSvg, svgToPng } from './render-plot.js';
export {
  DURABILITY_TEXT,
  HAND_OFF_EXPLANATION,
  measurementNotes,
  notesForFiles,
  renderNotes,
  type MeasurementNote,
} from './measurement-notes.js';
export {
  summarize,
  areRepeats,
  FLOOR_BACKENDS,
  RATE_TOLERANCE,
  type Summary,
  type SummaryOptions,
  type ActionSummary,
  type RankedEntry,
  type Estimate,
} from './summary.js';
export { renderSummary } from './render-summary.js';
export { notRunBackends, notRunLines, renderNotRun, type NotRun } from './not-run.js';
export { MIN_TAIL_SAMPLES, isThinPercentile } from './tail-samples.js';
export { DEFAULT_PERCENTILES, parsePercentiles } from './percentile-list.js';
export { EXPORT_FORMATS, parseExportFormats, type ExportFormat } from './export-formats.js';
