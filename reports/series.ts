/**
 * A series is one backend of one results file: the unit every table row group,
 * plot line and `.hgrm` file is about. With several files in one report the
 * series label joins the file label and the backend label ("box-a sqlite"),
 * so two machines or two configurations overlay in the same chart. A backend
 * that did not run (status `unavailable`) is no series: it has no figures, and
 * the summary's not-run line (not-run.ts) is the one place that names it.
 */
import type { BackendResult, ResultsFile } from '../results/results.js';

export interface Series {
  /** Shown in legends and table headings; unique within a report. */
  label: string;
  /** The file's label, or '' when the report has one file. */
  fileLabel: string;
  fileIndex: number;
  file: ResultsFile;
  backend: BackendResult;
}

/**
 * File labels: the caller's (the CLI passes file names), else the hostnames
 * when they tell the files apart, else `run 1`, `run 2`, ….
 */
export function fileLabels(files: readonly ResultsFile[], given?: readonly string[]): string[] {
  if (given && given.length > 0) {
    return files.map((_, i) => given[i] ?? `run ${i + 1}`);
  }
  const hosts = files.map((f) => f.environment.hostname ?? '');
  if (hosts.every((h) => h !== '') && new Set(hosts).size === hosts.length) return hosts;
  return files.map((_, i) => `run ${i + 1}`);
}

export function collectSeries(files: readonly ResultsFile[], labels?: readonly string[]): Series[] {
  const names = fileLabels(files, labels);
  const single = files.length === 1;
  const series: Series[] = [];
  const seen = new Map<string, number>();
  files.forEach((file, fileIndex) => {
    for (const backend of file.backends) {
      if (backend.status === 'unavailable') continue;
      let label = single ? backend.label : `${names[fileIndex]} ${backend.label}`;
      // Identical labels would merge two lines into one in the charts; keep them apart.
      const count = seen.get(label) ?? 0;
      seen.set(label, count + 1);
      if (count > 0) label = `${label} (${count + 1})`;
      series.push({ label, fileLabel: single ? '' : names[fileIndex], fileIndex, file, backend });
    }
  });
  return series;
}

/** Actions in first-seen order across all series, with get and set first as in the talk. */
export function actionsOf(series: readonly Series[]): string[] {
  const found: string[] = [];
  for (const s of series) {
    for (const action of Object.keys(s.backend.actions)) if (!found.includes(action)) found.push(action);
  }
  const rank = (a: string): number => (a === 'get' ? 0 : a === 'set' ? 1 : 2);
  return found.sort((a, b) => rank(a) - rank(b));
}

/** A file-system-safe name for a series or action (`box-a sqlite:shards=8` → `box-a-sqlite-shards-8`). */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'series' : s;
}
