/**
 * Decoding the results file's compressed histograms and reading their
 * percentile distribution. Everything here is plain JS histograms: a JS
 * histogram cannot add a WASM one, and reports are not a hot path.
 */
import * as hdr from 'hdr-histogram-js';
import { ReportError } from './errors.js';

export type Histogram = hdr.Histogram;

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
 * Decodes into 64-bit counts: merged histograms of many long runs can pass the
 * 2^31 limit of the default 32-bit buckets.
 */
export function decodeHistogram(encoded: string, where: string): Histogram {
  try {
    return hdr.decodeFromCompressedBase64(encoded, 64, false);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ReportError(
      'HISTOGRAM_INVALID',
      `${where}: the histogram is not hdr-histogram-js compressed base64 (${reason}); regenerate the results file with \`cachebench run\``,
    );
  }
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/**
 * The percentile distribution, with the same ticks `outputPercentileDistribution`
 * prints (`ticksPerHalfDistance` steps each time the remaining tail halves), so
 * plots and `.hgrm` files show the same points.
 */
export function percentileDistribution(histogram: Histogram, ticksPerHalfDistance = 5): PercentilePoint[] {
  if (!(histogram instanceof hdr.JsHistogram)) {
    throw new ReportError('HISTOGRAM_INVALID', 'percentile distribution needs a JS histogram; decode with decodeHistogram()');
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
