import * as hdr from 'hdr-histogram-js';
import { HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS, type Histogram } from '../results/histogram.js';

/**
 * The workers' side of the results file's histograms: they record into their
 * own WASM histograms (about 14 ns per record here, against about 55 ns for
 * the JS ones) with the default 32-bit counts — one worker's interval never
 * nears 2^31 samples in a bucket — and send them encoded as results/histogram.ts
 * decodes them.
 */
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
