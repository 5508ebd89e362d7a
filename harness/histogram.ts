import * as hdr from 'hdr-histogram-js';
import type { Percentiles } from './results.js';

/**
 * Latency histograms: integer nanoseconds, 3 significant digits, up to 10
 * minutes. Workers record into WASM histograms (about 14 ns per record here,
 * against about 55 ns for the JS ones); the parent decodes into JS histograms,
 * which need no `destroy()` and merge with `add()`.
 */
export const HIGHEST_TRACKABLE_NS = 600_000_000_000; // 10 min
const SIGNIFICANT_DIGITS = 3;

let wasm = false;

/** Switches new histograms to WebAssembly when it loads; falls back to JS silently (only speed differs). */
export async function enableWasmHistograms(): Promise<boolean> {
  try {
    await hdr.initWebAssembly();
    wasm = true;
  } catch {
    wasm = false;
  }
  return wasm;
}

export type Histogram = hdr.Histogram;

export function createHistogram(useWasm = wasm): Histogram {
  return hdr.build({
    useWebAssembly: useWasm,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_NS,
    // A fixed range keeps recording branch-free; longer values are clamped by `clampNs`.
    autoResize: false,
  });
}

/** Values beyond the range are recorded at the top rather than lost. */
export function clampNs(value: number): number {
  return value < HIGHEST_TRACKABLE_NS ? value : HIGHEST_TRACKABLE_NS;
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Decodes into a JS histogram (the parent's kind). */
export function decodeHistogram(encoded: string): Histogram {
  return hdr.decodeFromCompressedBase64(encoded, 32, false, HIGHEST_TRACKABLE_NS);
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
