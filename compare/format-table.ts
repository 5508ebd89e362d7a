import { COLUMNS, failureLines, gateLine, methodLine, NUMBER_COLUMNS, rowCells } from './format-values.js';
import type { ComparisonReport } from './report.js';
import type { GateResult } from './thresholds.js';

/** The terminal table: method line, notes, aligned columns, gate outcome. */
export function formatTable(report: ComparisonReport, gate?: GateResult): string {
  const rows = [COLUMNS.map(String), ...report.rows.map((row) => rowCells(report, row, gate))];
  const widths = COLUMNS.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  // Text columns align left, numbers right, so digits line up.
  const render = (cells: string[]): string =>
    cells
      .map((cell, c) => (NUMBER_COLUMNS.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const lines = [
    methodLine(report),
    ...report.notes.map((n) => `note: ${n}`),
    '',
    render(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
  ];
  for (const row of rows.slice(1)) lines.push(render(row));
  const failed = failureLines(report);
  if (failed.length > 0) lines.push('', 'failed operations (errors, timeouts):', ...failed.map((l) => `  ${l}`));
  const gateText = gateLine(gate, report);
  if (gateText) lines.push('', gateText);
  return `${lines.join('\n')}\n`;
}
