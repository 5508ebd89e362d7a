/**
 * Every repeat of every configuration as a dot, configurations in ranking
 * order, the median as a tick: the run-to-run noise the recommendation judges,
 * made visible.
 */
import type { CombinationSummary, SweepSummary } from '../summary.js';
import { DEFAULT_WIDTH, VEGA_LITE_SCHEMA, objectiveEncoding, type TopLevelSpec } from './common.js';

const SHOWN = 30;
/** Characters per label line; longer labels wrap on spaces rather than being cut with an ellipsis. */
const LINE = 48;
const LINE_HEIGHT = 13;

/**
 * Labels that name only the axes whose values differ between the shown
 * configurations: with many axes the full setting list is long, and cutting
 * it made two rows read identically. Unique by construction (two
 * configurations differ in at least one of those axes); a clash still gets
 * its combination number rather than a shared label.
 */
export function repeatsLabels(rows: readonly CombinationSummary[]): Map<number, string> {
  const names = [...new Set(rows.flatMap((c) => Object.keys(c.values)))];
  // The added reference has only the context axes; it must not make every other axis look varied.
  const measured = rows.filter((c) => !c.added);
  const differing = names.filter((name) => new Set(measured.map((c) => c.values[name])).size > 1);
  const labels = new Map<number, string>();
  const seen = new Set<string>();
  for (const c of rows) {
    const shown = differing.filter((name) => c.values[name] !== undefined).map((name) => `${name}=${c.values[name]}`);
    let label = c.added
      ? ['defaults', ...shown].join(' ')
      : `${shown.join(' ') || c.label}${c.isDefault ? ' (defaults)' : ''}`;
    if (seen.has(label)) label = `${label} #${c.index}`;
    seen.add(label);
    labels.set(c.index, label);
  }
  return labels;
}

/** Breaks a label into lines of at most LINE characters at spaces (a single longer word stays whole). */
export function wrapLabel(label: string): string[] {
  const lines: string[] = [];
  for (const word of label.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= LINE) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function repeatsSpec(summary: SweepSummary): TopLevelSpec | null {
  const rows = summary.combinations.filter((c) => c.objective.values.length > 0).slice(0, SHOWN);
  if (rows.length === 0) return null;
  const labels = repeatsLabels(rows);
  // The configuration text carries its line breaks; the axis splits it into lines.
  const label = (c: (typeof rows)[number]): string => wrapLabel(labels.get(c.index)!).join('\n');
  const points = rows.flatMap((c) =>
    c.objective.values.map((value, i) => ({ configuration: label(c), value, kind: 'repeat', repeat: i + 1 })),
  );
  const medians = rows.map((c) => ({ configuration: label(c), value: c.objective.median!, kind: 'median' }));
  const order = rows.map(label);
  const lines = Math.max(...order.map((l) => l.split('\n').length));
  const x = objectiveEncoding(summary.objective.kind, 'value', summary.objective.text);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: {
      text: `${summary.objective.text}: each repeat (dots) and the median (tick)${summary.combinations.length > SHOWN ? `, best ${SHOWN}` : ''}`,
      anchor: 'start',
    },
    width: DEFAULT_WIDTH,
    height: { step: Math.max(18, lines * LINE_HEIGHT + 6) },
    encoding: {
      y: {
        field: 'configuration',
        type: 'nominal',
        title: null,
        sort: order,
        // Vega draws an array of strings as lines.
        axis: { labelLimit: 480, labelLineHeight: LINE_HEIGHT, labelExpr: "split(datum.label, '\\n')" },
      },
    },
    layer: [
      { data: { values: points }, mark: { type: 'point', filled: true, opacity: 0.6, tooltip: true }, encoding: { x } },
      { data: { values: medians }, mark: { type: 'tick', color: 'black', thickness: 2 }, encoding: { x } },
    ],
  };
}
