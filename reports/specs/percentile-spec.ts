/**
 * "get time vs percentile": one line per series, the x axis HdrHistogram's
 * log 1/(1−p) scale so the tail (99 %, 99.9 %, 99.99 %) gets as much room as
 * the median. Points come from each decoded histogram's percentile
 * distribution; the spec carries raw percentiles and computes 1/(1−p) itself
 * so a user restyling the JSON sees where the axis comes from. The part of
 * each line with fewer than 10 samples beyond the percentile (tail-samples.ts)
 * is dashed: there the line is a handful of slowest operations, not a shape.
 */
import { decodeHistogram, percentileDistribution } from '../../results/histogram.js';
import type { Series } from '../series.js';
import { isThinPercentile, MIN_TAIL_SAMPLES } from '../tail-samples.js';
import {
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  latencyY,
  seriesColor,
  VEGA_LITE_SCHEMA,
  type SpecOptions,
  type TopLevelSpec,
} from './common.js';

export interface PercentileDatum {
  series: string;
  /** 0 to 100 (exclusive: the 100 % point cannot sit on a 1/(1−p) axis). */
  percentile: number;
  latencyNs: number;
  /** Whether at least MIN_TAIL_SAMPLES samples lie beyond this percentile (SOLID) or not (THIN). */
  tail: typeof SOLID_TAIL | typeof THIN_TAIL;
}

export const SOLID_TAIL = `${MIN_TAIL_SAMPLES} or more`;
export const THIN_TAIL = `fewer than ${MIN_TAIL_SAMPLES}`;

/** The vega expression for the x position, exported so tests check the spec uses it. */
export const INVERSE_TAIL_EXPR = '1 / (1 - datum.percentile / 100)';

/** Percentile distribution points of every series that recorded `action`. */
export function percentileData(series: readonly Series[], action: string): PercentileDatum[] {
  const data: PercentileDatum[] = [];
  for (const s of series) {
    const result = s.backend.actions[action];
    if (!result || result.count === 0) continue;
    const histogram = decodeHistogram(result.histogram, `${s.label} ${action}`);
    const count = histogram.totalCount;
    let previous: PercentileDatum | undefined;
    for (const point of percentileDistribution(histogram)) {
      if (point.percentile >= 100) continue;
      const tail = isThinPercentile(count, point.percentile) ? THIN_TAIL : SOLID_TAIL;
      // The dashed part starts where the solid part ends, so the line stays unbroken.
      if (tail === THIN_TAIL && previous?.tail === SOLID_TAIL) data.push({ ...previous, tail: THIN_TAIL });
      previous = { series: s.label, percentile: point.percentile, latencyNs: point.value, tail };
      data.push(previous);
    }
  }
  return data;
}

/**
 * The label of tick k, where 1/(1−p) = 10^k: "0 %", "90 %", "99 %", then
 * "99." and k − 2 nines. Written out rather than formatted from 100 − 100/10^k,
 * whose float rounds to "100" once k passes the formatter's significant digits
 * (a run of 10^7 operations showed two "100 %" ticks).
 */
export function percentileTickLabel(decade: number): string {
  if (decade === 0) return '0 %';
  if (decade === 1) return '90 %';
  return decade === 2 ? '99 %' : `99.${'9'.repeat(decade - 2)} %`;
}

/** Ticks at 0, 90, 99, 99.9 … % up to the deepest percentile the data reaches (at least 99 %). */
export function inverseTailTicks(data: readonly PercentileDatum[]): number[] {
  const deepest = data.reduce((m, d) => Math.max(m, 1 / (1 - d.percentile / 100)), 1);
  const decades = Math.max(2, Math.ceil(Math.log10(deepest) - 1e-9));
  return Array.from({ length: decades + 1 }, (_, k) => 10 ** k);
}

/** A vega expression giving each tick's label: an array literal indexed by log10 of the tick (ticks are 10^0, 10^1, …). */
export function tickLabelExpr(ticks: readonly number[]): string {
  const labels = ticks.map((_, decade) => percentileTickLabel(decade));
  return `${JSON.stringify(labels)}[round(log(datum.value) / LN10)]`;
}

export function percentileSpec(series: readonly Series[], action: string, options: SpecOptions = {}): TopLevelSpec {
  const data = percentileData(series, action);
  const ticks = inverseTailTicks(data);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${action} time vs percentile`, anchor: 'start' },
    description: `Latency of ${action} at each percentile, one line per backend, from the HDR histograms.`,
    width: options.width ?? DEFAULT_WIDTH,
    height: options.height ?? DEFAULT_HEIGHT,
    data: { values: data },
    transform: [{ filter: 'datum.percentile < 100' }, { calculate: INVERSE_TAIL_EXPR, as: 'inverseTail' }],
    // step-before: between two ticks the latency is the higher tick's value (p% of samples are at or below it).
    mark: { type: 'line', interpolate: 'step-before', strokeWidth: 2, clip: true },
    encoding: {
      x: {
        field: 'inverseTail',
        type: 'quantitative',
        title: 'percentile',
        scale: { type: 'log', domain: [ticks[0], ticks[ticks.length - 1]] },
        // 1/(1−p) = 10^k is the percentile 100 − 100/10^k: 0, 90, 99, 99.9 …; the labels are
        // looked up by k (ticks[k] = 10^k) so they stay distinct however deep the tail goes.
        axis: { values: ticks, labelExpr: tickLabelExpr(ticks), grid: true },
      },
      y: latencyY('latencyNs', options.latencyScale ?? 'log'),
      color: seriesColor(series.filter((s) => s.backend.actions[action]?.count).map((s) => s.label)),
      strokeDash: {
        field: 'tail',
        type: 'nominal',
        title: 'samples beyond',
        scale: {
          domain: [SOLID_TAIL, THIN_TAIL],
          range: [
            [1, 0],
            [4, 3],
          ],
        },
      },
      tooltip: [
        { field: 'series', type: 'nominal' },
        { field: 'percentile', type: 'quantitative', format: '.4~r' },
        { field: 'latencyNs', type: 'quantitative', title: 'latency (ns)', format: ',' },
      ],
    },
  };
}
