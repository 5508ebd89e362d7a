import { build, decodeFromCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { ResultsFile } from '../results/results.js';
import { CompareInputError } from './errors.js';
import { divideEstimates, percentileInterval, type Estimate } from './quantile-interval.js';
import type { ComparisonRow } from './report.js';
import { regressionOf, totalThroughput, type StatisticDefinition } from './statistic.js';

/**
 * The fallback when there are too few runs for a rank test: each side's runs
 * are merged into one histogram per backend × action (percentiles are never
 * averaged), and each percentile gets an order-statistic interval. The ratio
 * interval divides the intervals conservatively (low/high, high/low).
 */
export class SingleRunSides {
  private readonly merged = new Map<string, Histogram>();

  constructor(
    private readonly base: readonly ResultsFile[],
    private readonly head: readonly ResultsFile[],
  ) {}

  histogram(side: 'base' | 'head', label: string, action: string): Histogram {
    const key = `${side}\u0000${label}\u0000${action}`;
    let histogram = this.merged.get(key);
    if (!histogram) {
      // A decoded histogram's range fits its own values only, so merge into a
      // fresh auto-resizing one rather than into the first run's.
      histogram = build({ numberOfSignificantValueDigits: 3 });
      const files = side === 'base' ? this.base : this.head;
      for (const [index, file] of files.entries()) {
        const encoded = file.backends.find((b) => b.label === label)!.actions[action].histogram;
        let decoded: Histogram;
        try {
          decoded = decodeFromCompressedBase64(encoded);
        } catch (error) {
          throw new CompareInputError(
            `${side} run ${index + 1}: histogram of ${label} ${action} does not decode (${(error as Error).message}); the results file is corrupt, re-run it`,
          );
        }
        histogram.add(decoded);
        decoded.destroy();
      }
      this.merged.set(key, histogram);
    }
    return histogram;
  }

  /** Mean over the side's runs of the backend's throughput over `actions` (all of them together). */
  throughput(side: 'base' | 'head', label: string, actions: readonly string[]): number {
    const files = side === 'base' ? this.base : this.head;
    const values = files.map((f) => totalThroughput(f.backends.find((b) => b.label === label)!.actions, actions));
    return values.reduce((a, b) => a + b, 0) / values.length;
  }

  runs(side: 'base' | 'head'): number {
    return side === 'base' ? this.base.length : this.head.length;
  }

  /** JS histograms need no explicit free; kept so a WASM switch cannot leak. */
  release(): void {
    for (const histogram of this.merged.values()) histogram.destroy();
    this.merged.clear();
  }
}

export function singleRunRow(
  sides: SingleRunSides,
  label: string,
  action: string,
  statistic: StatisticDefinition,
  options: { reference: string | undefined; alpha: number },
  /** The backend's timed actions: the throughput row (action "all") sums them. */
  actions: readonly string[] = [action],
): ComparisonRow {
  const row = { backend: label, action, statistic: statistic.name, kind: statistic.kind, pValue: null };
  if (statistic.kind === 'rate' || statistic.percentile === undefined) {
    const estimate = (side: 'base' | 'head'): number => {
      const value = sides.throughput(side, label, actions);
      return options.reference === undefined ? value : value / sides.throughput(side, options.reference, actions);
    };
    const base = estimate('base');
    const head = estimate('head');
    const ratio = head / base;
    return {
      ...row,
      base: { runs: sides.runs('base'), value: base },
      head: { runs: sides.runs('head'), value: head },
      ratio,
      ci: null,
      verdict: 'not judged',
      regression: Number.isFinite(ratio) ? regressionOf(statistic.kind, ratio) : 0,
      gateRegression: 0,
      note: 'throughput needs repeated runs',
    };
  }
  const percentile = statistic.percentile;
  const estimate = (side: 'base' | 'head'): Estimate => {
    const own = percentileInterval(sides.histogram(side, label, action), percentile, 1 - options.alpha);
    if (options.reference === undefined) return own;
    return divideEstimates(
      own,
      percentileInterval(sides.histogram(side, options.reference, action), percentile, 1 - options.alpha),
    );
  };
  const base = estimate('base');
  const head = estimate('head');
  const sideFigures = {
    base: { runs: sides.runs('base'), value: base.point },
    head: { runs: sides.runs('head'), value: head.point },
  };
  if (![base.point, base.low, head.point, head.low].every((v) => Number.isFinite(v) && v > 0)) {
    return {
      ...row,
      ...sideFigures,
      ratio: Number.NaN,
      ci: null,
      verdict: 'not judged',
      regression: 0,
      gateRegression: 0,
      note: 'no operations recorded (or a zero reference)',
    };
  }
  const ratio = divideEstimates(head, base);
  const verdict = ratio.low > 1 ? 'slower' : ratio.high < 1 ? 'faster' : 'no significant change';
  return {
    ...row,
    ...sideFigures,
    ratio: ratio.point,
    ci: [ratio.low, ratio.high],
    verdict,
    regression: regressionOf(statistic.kind, ratio.point),
    // Latency only here: the bound of the interval nearest "no change".
    gateRegression: Math.max(0, regressionOf(statistic.kind, ratio.low)),
  };
}
