/** What `cachebench sweep` prints when it is done: the top of the ranking and the recommendation. */
import { formatObjective, rankingTable, textTable } from './ranking-table.js';
import type { SweepRecommendation, SweepSummary } from './summary.js';

const SHOWN = 15;

export function formatRanking(summary: SweepSummary): string {
  const table = rankingTable(summary, SHOWN);
  const more =
    summary.combinations.length > SHOWN ? `(${summary.combinations.length - SHOWN} more in the report)\n` : '';
  return `\nRanking by ${summary.objective.text} (${summary.objective.kind === 'latency' ? 'lower' : 'higher'} is better; median of ${summary.repeat} repeats)\n${textTable(table)}${more}`;
}

export function formatRecommendation(summary: SweepSummary): string {
  const lines = ['', 'Recommendation'];
  for (const r of summary.recommendations)
    lines.push(...recommendationLines(r, summary.objective.kind, summary.recommendations.length > 1));
  lines.push(...unavailableLines(summary).map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

/** One line per backend that could not run here: it is reported and skipped, the sweep goes on. */
export function unavailableLines(summary: SweepSummary): string[] {
  return (summary.unavailable ?? []).map(
    (u) => `${u.backend} (procs=${u.procs}) was unavailable and skipped: ${u.message}`,
  );
}

export function recommendationLines(r: SweepRecommendation, kind: 'latency' | 'rate', withContext: boolean): string[] {
  const at = withContext && r.context ? `at ${r.context}: ` : '';
  const lines = [`  ${at}use ${r.recommended.label} (${formatObjective(kind, r.recommended.median)})`];
  lines.push(`    ${r.verdict}`);
  if (r.durability)
    lines.push(
      `    WARNING: ${r.recommended.label} ${r.durability}; --apply writes it only with --allow-lower-durability`,
    );
  // The verdict already names the test, its p and its level; only say where the runs came from.
  if (r.runs !== null && r.pValue !== null)
    lines.push(
      `    judged on ${r.basis === 'confirmation' ? 'a confirmation round' : 'the grid repeats'} of ${r.runs[0]} + ${r.runs[1]} runs`,
    );
  return lines;
}
