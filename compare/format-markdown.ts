import { COLUMNS, failureLines, gateLine, methodLine, NUMBER_COLUMNS, rowCells } from './format-values.js';
import type { ComparisonReport } from './report.js';
import type { GateResult } from './thresholds.js';

/**
 * Markdown for a pull-request comment: the gate outcome and significant
 * changes up front, every row in a collapsed section so the comment stays
 * short when nothing moved.
 */
export const MARKDOWN_MARKER = '<!-- cachebench-compare -->';

export function formatMarkdown(report: ComparisonReport, gate?: GateResult): string {
  const significant = report.rows.filter((r) => r.verdict === 'slower' || r.verdict === 'faster');
  const gateText = gateLine(gate, report);
  // A gate that could not judge its rows is a warning, not a green tick.
  const icon = gate?.failed ? '❌' : gate && gate.unjudged.length > 0 ? '⚠️' : '✅';
  const lines = [
    // Lets the workflow find and update its own earlier comment.
    MARKDOWN_MARKER,
    '### cachebench compare',
    '',
    gateText ? `**${icon} ${escape(gateText)}**` : '',
    '',
    escape(methodLine(report)),
    '',
    ...report.notes.map((n) => `> ⚠️ ${escape(n)}`),
    '',
  ];
  const failed = failureLines(report);
  if (failed.length > 0)
    lines.push('**Failed operations (errors, timeouts):**', '', ...failed.map((l) => `- ${escape(l)}`), '');
  if (report.mode === 'too-few-runs') lines.push('Not judged: too few runs a side (see the note).', '');
  else if (significant.length === 0) lines.push('No significant change.', '');
  else lines.push(`**Significant changes (${significant.length}):**`, '', ...table(report, significant, gate), '');
  lines.push(
    `<details><summary>All ${report.rows.length} rows</summary>`,
    '',
    ...table(report, report.rows, gate),
    '',
    '</details>',
    '',
  );
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

function table(report: ComparisonReport, rows: ComparisonReport['rows'], gate?: GateResult): string[] {
  const header = `| ${COLUMNS.join(' | ')} |`;
  const rule = `|${COLUMNS.map((_, c) => (NUMBER_COLUMNS.has(c) ? ' ---: ' : ' --- ')).join('|')}|`;
  return [header, rule, ...rows.map((row) => `| ${rowCells(report, row, gate).map(escape).join(' | ')} |`)];
}

// Backend labels and notes are user text; keep them from breaking the table.
function escape(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;');
}
