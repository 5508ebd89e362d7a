import { createRequire } from 'node:module';
import type * as HdrHistogramJs from 'hdr-histogram-js';
import type { Percentiles } from './results.js';
import { CachebenchError } from '../shared/cachebench-error.js';

/**
 * The histograms of a results file: integer nanoseconds, 3 significant
 * digits, up to 10 minutes, stored as HdrHistogram's V2 compressed encoding
 * in base64 (what `encodeIntoCompressedBase64` writes and every HdrHistogram
 * implementation decodes).
 *
 * Everything that decodes or merges (the harness's summary, reports, compare,
 * `cachebench merge`) uses JS histograms with 64-bit counts: they need no
 * `destroy()`, merge with `add()` (a JS histogram cannot add a WASM one), and
 * the merged histograms of many long runs can pass 2^31 in a bucket. The
 * workers' recording side is harness/recording-histogram.ts.
 */
export const HIGHEST_TRACKABLE_NS = 600_000_000_000; // 10 min
export const SIGNIFICANT_DIGITS = 3;

export type Histogram = HdrHistogramJs.Histogram;

let library: typeof HdrHistogramJs | undefined;
/** hdr-histogram-js, loaded on first use: commands that only parse their options (`--help`) never load it. */
function hdr(): typeof HdrHistogramJs {
  return (library ??= createRequire(import.meta.url)('hdr-histogram-js') as typeof HdrHistogramJs);
}

/**
 * An empty histogram to add decoded ones into: JS, 64-bit counts, the whole
 * range (values are clamped when recorded, so nothing decoded lies beyond it).
 */
export function createMergeHistogram(): Histogram {
  return hdr().build({
    useWebAssembly: false,
    bitBucketSize: 64,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_NS,
    autoResize: false,
  });
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr().encodeIntoCompressedBase64(histogram);
}

/** A results file's histogram that cannot be decoded; `where` in the message says which. */
export class HistogramError extends CachebenchError<'HISTOGRAM_INVALID'> {
  constructor(message: string) {
    super('HISTOGRAM_INVALID', message);
  }
}

/**
 * Decodes into a JS histogram with 64-bit counts covering at least the whole
 * range. `where` names the histogram in the error (a results file can be
 * hand-edited or cut short).
 */
export function decodeHistogram(encoded: string, where = 'histogram'): Histogram {
  try {
    return hdr().decodeFromCompressedBase64(encoded, 64, false, HIGHEST_TRACKABLE_NS);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HistogramError(
      `${where}: the histogram is not hdr-histogram-js compressed base64 (${reason}); regenerate the results file with \`cachebench run\``,
    );
  }
}

/** Exact percentiles from the histogram (not `.summary`, which rounds to 3 digits). */
export function percentilesOf(histogram: Histogram): Percentiles {
  const empty = histogram.totalCount === 0;
  return {
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p99: histogram.getValueAtPercentile(99),
    p999: histogram.getValueAtPercentile(99.9),
    max: histogram.maxValue,
    min: empty ? 0 : histogram.minNonZeroValue,
    mean: empty ? 0 : histogram.mean,
  };
}

/** One step of HdrHistogram's percentile iteration: the value at or below which `percentile`% of samples fall. */
export interface PercentilePoint {
  /** 0–100. */
  percentile: number;
  /** Latency in the histogram's unit (ns in results files). */
  value: number;
  /** Samples at or below `value`. */
  totalCount: number;
}

/**
 * The percentile distribution, with the same ticks `outputPercentileDistribution`
 * prints (`ticksPerHalfDistance` steps each time the remaining tail halves), so
 * plots and `.hgrm` files show the same points.
 */
export function percentileDistribution(histogram: Histogram, ticksPerHalfDistance = 5): PercentilePoint[] {
  if (!(histogram instanceof hdr().JsHistogram)) {
    throw new HistogramError('percentile distribution needs a JS histogram; decode with decodeHistogram()');
  }
  const points: PercentilePoint[] = [];
  if (histogram.totalCount === 0) return points;
  const iterator = histogram.percentileIterator;
  iterator.reset(ticksPerHalfDistance);
  while (iterator.hasNext()) {
    const step = iterator.next();
    points.push({
      percentile: step.percentileLevelIteratedTo,
      value: step.valueIteratedTo,
      totalCount: step.totalCountToThisValue,
    });
  }
  return points;
}

/**
 * The `.hgrm` text (HdrHistogram's percentile distribution format) with values
 * divided by `unitRatio`: results are ns, so 1000 writes microseconds.
 */
export function hgrmText(histogram: Histogram, unitRatio: number, ticksPerHalfDistance = 5): string {
  return histogram.outputPercentileDistribution(ticksPerHalfDistance, unitRatio);
}
