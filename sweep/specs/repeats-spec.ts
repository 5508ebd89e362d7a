/**
 * Every repeat of every configuration as a dot, configurations in ranking
 * order, the median as a tick: the run-to-run noise the recommendation judges,
 * made visible.
 */
import type { SweepSummary } from '../summary.js';
import { DEFAULT_WIDTH, VEGA_LITE_SCHEMA, objectiveEncoding, type TopLevelSpec } from './common.js';

const SHOWN = 30;

export function repeatsSpec(summary: SweepSummary): TopLevelSpec | null {
  const rows = summary.combinations.filter((c) => c.objective.values.length > 0).slice(0, SHOWN);
  if (rows.length === 0) return null;
  const label = (c: (typeof rows)[number]): string => `${c.label}${c.isDefault ? ' (defaults)' : ''}`;
  const points = rows.flatMap((c) => c.objective.values.map((value, i) => ({ configuration: label(c), value, kind: 'repeat', repeat: i + 1 })));
  const medians = rows.map((c) => ({ configuration: label(c), value: c.objective.median!, kind: 'median' }));
  const order = rows.map(label);
  const x = objectiveEncoding(summary.objective.kind, 'value', summary.objective.text);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${summary.objective.text}: each repeat (dots) and the median (tick)${summary.combinations.length > SHOWN ? `, best ${SHOWN}` : ''}`, anchor: 'start' },
    width: DEFAULT_WIDTH,
    height: { step: 18 },
    encoding: { y: { field: 'configuration', type: 'nominal', title: null, sort: order, axis: { labelLimit: 360 } } },
    layer: [
      { data: { values: points }, mark: { type: 'point', filled: true, opacity: 0.6, tooltip: true }, encoding: { x } },
      { data: { values: medians }, mark: { type: 'tick', color: 'black', thickness: 2 }, encoding: { x } },
    ],
  };
}
