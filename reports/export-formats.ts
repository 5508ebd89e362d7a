/**
 * `--export csv,md,json`: the formats the tables can be written in
 * (export-tables.ts writes them). No heavy imports, so the CLI can check the
 * option before loading anything.
 */
import { ReportError } from './errors.js';

export const EXPORT_FORMATS = ['csv', 'md', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `csv,json` → ['csv', 'json']; an unknown or empty entry is a ReportError naming the choices. */
export function parseExportFormats(text: string): ExportFormat[] {
  const parts = text.split(',').map((p) => p.trim().toLowerCase());
  const formats: ExportFormat[] = [];
  for (const part of parts) {
    if (!(EXPORT_FORMATS as readonly string[]).includes(part)) {
      throw new ReportError(
        'BAD_EXPORT',
        `--export: ${part === '' ? 'an empty entry' : `"${part}"`} is not a format; choose from ${EXPORT_FORMATS.join(', ')} (comma-separated, e.g. --export csv,json)`,
      );
    }
    if (!formats.includes(part as ExportFormat)) formats.push(part as ExportFormat);
  }
  return formats;
}
