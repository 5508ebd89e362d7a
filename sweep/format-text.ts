/** What `cachebench sweep` prints when it is done: the top of the ranking and the recommendation. */
import { formatObjective, rankingTable, textTable } from './ranking-table.js';
import type { Recommendation } from './recommend.js';
import type { SweepSummary } from './summary.js';

const SHOWN = 15;

export function formatRanking(summary: SweepSummary): string {
  const table = rankingTable(summary, SHOWN);
  const more = summary.combinations.length > SHOWN ? `(${summary.combinations.length - SHOWN} more in the report)\n` : '';
  return `\nRanking by ${summary.objective.text} (${summary.objective.kind === 'latency' ? 'lower' : 'higher'} is better; median of ${summary.repeat} repeats)\n${textTable(table)}${more}`;
}

export function formatRecommendation(summary: SweepSummary): string {
  const lines = ['', 'Recommendation'];
  for (const r of summary.recommendations) lines.push(...recommendationLines(r, summary.objective.kind, summary.recommendations.length > 1));
  return `${lines.join('\n')}\n`;
}

export function recommendationLines(r: Recommendation, kind: 'latency' | 'rate', withContext: boolean): string[] {
  const at = withContext && r.context ? `at ${r.context}: ` : '';
  const lines = [`  ${at}use ${r.recommended.label} (${formatObjective(kind, r.recommended.median)})`];
  lines.push(`    ${r.verdict}`);
  if (r.pValue !== null) lines.push(`    Mann-Whitney p = ${r.pValue.toFixed(3)} over the repeats`);
  return lines;
}
