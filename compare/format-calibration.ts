import { median } from './bootstrap.js';
import type { CalibrationResult, TrialOutcome } from './calibrate.js';
import { formatChange } from './format-values.js';

/**
 * The calibration table: per condition (A/A, then each injected regression)
 * how often the gate failed, and the change each rule's rows really showed;
 * then what each rule could catch, from the A/A trials' own noise.
 */
export function formatCalibration(result: CalibrationResult): string {
  const byCondition = new Map<string, TrialOutcome[]>();
  for (const outcome of result.outcomes)
    byCondition.set(outcome.condition, [...(byCondition.get(outcome.condition) ?? []), outcome]);
  const rules = Object.keys(result.outcomes[0]?.changes ?? {});
  const lines = [
    `calibrate: ${result.trials} trial(s) of ${result.pairs} interleaved pairs per condition; gate --fail-on '${result.failOn}'`,
    '',
  ];
  const header = ['condition', 'gate failed', ...rules.map((r) => `${r}: change, median (range)`)];
  const rows = [...byCondition].map(([condition, outcomes]) => {
    const failed = outcomes.filter((o) => o.gateFailed).length;
    const what = condition === 'A/A' ? 'false alarms' : 'caught';
    return [
      condition === 'A/A' ? 'A/A (identical sides)' : `inject ${condition}`,
      `${failed} of ${outcomes.length} (${what})`,
      ...rules.map((rule) => {
        const changes = outcomes.map((o) => o.changes[rule]!).filter(Number.isFinite);
        if (changes.length === 0) return '—';
        return `${formatChange(median(changes))} (${formatChange(Math.min(...changes))} … ${formatChange(Math.max(...changes))})`;
      }),
    ];
  });
  lines.push(...table([header, ...rows]));
  const aa = byCondition.get('A/A') ?? [];
  if (aa.length > 0) {
    lines.push(
      '',
      "smallest regression each rule catches 80% of the time, from the A/A trials' noise (median over trials):",
    );
    for (const rule of rules) {
      const values = aa.map((o) => o.detectable[rule]).filter((v): v is number | 'none' => v !== undefined);
      const finite = values.filter((v): v is number => v !== 'none');
      const text =
        values.length === 0
          ? 'not judged (too few pairs)'
          : finite.length * 2 < values.length
            ? 'none (most trials could not catch any regression)'
            : `${formatChange(1 + median(finite))}`;
      lines.push(`  ${rule}: ${text}`);
    }
  }
  const perTrial =
    result.outcomes.length === 0 ? 0 : result.outcomes.reduce((sum, o) => sum + o.seconds, 0) / result.outcomes.length;
  lines.push(
    '',
    `took ${result.seconds.toFixed(0)} s: ${result.outcomes.length} trials, ${perTrial.toFixed(1)} s each (the CI time of one gate of this design)`,
  );
  return `${lines.join('\n')}\n`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const render = (cells: string[]): string =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd();
  return [render(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(render)];
}
