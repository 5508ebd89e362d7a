/**
 * Backends that did not run (status `unavailable`: a server that does not
 * answer, a Python package that is missing, a backend that cannot take the
 * run's process count) are said once, at the top of the summary — one line
 * each, naming the backend and the reason — and get no table, plot or row
 * anywhere else in the report (series.ts leaves them out).
 */
import type { ResultsFile } from '../results/results.js';

/** A backend that did not run, as summary.json lists it. */
export interface NotRun {
  label: string;
  name: string;
  /** The reason, as the results file gives it. */
  message: string;
}

/** Each backend label that could not run in any of the files, once (the last file's reason). */
export function notRunBackends(files: readonly ResultsFile[]): NotRun[] {
  const found = new Map<string, NotRun>();
  for (const b of files.flatMap((f) => f.backends).filter((b) => b.status === 'unavailable'))
    found.set(b.label, { label: b.label, name: b.name, message: b.message ?? 'unavailable here' });
  return [...found.values()];
}

/** One line per backend that could not run, with its reason: `redis: REDIS_URL=… does not answer (…); …`. */
export function notRunLines(files: readonly ResultsFile[]): string[] {
  return notRunBackends(files).map(({ label, name, message }) =>
    message.startsWith(`${label}:`) || message.startsWith(`${name}:`) ? message : `${label}: ${message}`,
  );
}

/** The lines as the summary's first lines: `not run: …` each, then a blank line; '' when every backend ran. */
export function renderNotRun(lines: readonly string[], format: 'text' | 'markdown'): string {
  if (lines.length === 0) return '';
  if (format === 'markdown') return `${lines.map((l) => `- **not run:** ${l.replace(/\|/g, '\\|')}`).join('\n')}\n\n`;
  return `${lines.map((l) => `not run: ${l}`).join('\n')}\n\n`;
}

/** The lines as HTML for the top of index.html; '' when every backend ran. */
export function notRunHtml(lines: readonly string[], escapeHtml: (t: string) => string): string {
  if (lines.length === 0) return '';
  return `<ul class="not-run">${lines.map((l) => `<li><strong>not run:</strong> ${escapeHtml(l)}</li>`).join('')}</ul>`;
}
