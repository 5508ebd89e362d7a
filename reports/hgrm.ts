/**
 * `.hgrm` export: HdrHistogram's percentile distribution text, one file per
 * series × action, for HdrHistogram's plotter and other HDR tooling.
 *
 * Unit: microseconds. Results hold nanoseconds, and the format prints values
 * with as many decimals as the histogram's significant digits (3), so µs keeps
 * nanosecond resolution (2.417 µs) while ms would round a 2 µs get to 0.002.
 */
import { decodeHistogram, hgrmText } from '../results/histogram.js';
import { slug, type Series } from './series.js';

/** Divisor from results' ns to the `.hgrm` unit. */
export const HGRM_UNIT_RATIO = 1000;
export const HGRM_UNIT = 'µs';

export interface HgrmFile {
  /** File name, e.g. `sqlite-get.hgrm`. */
  name: string;
  series: string;
  action: string;
  text: string;
}

export function hgrmFiles(series: readonly Series[]): HgrmFile[] {
  const files: HgrmFile[] = [];
  const used = new Set<string>();
  for (const s of series) {
    for (const [action, result] of Object.entries(s.backend.actions)) {
      if (result.count === 0) continue;
      const histogram = decodeHistogram(result.histogram, `${s.label} ${action}`);
      let name = `${slug(s.label)}-${slug(action)}.hgrm`;
      // Two labels can slug alike (`a:b` and `a-b`); never overwrite one with the other.
      for (let n = 2; used.has(name); n++) name = `${slug(s.label)}-${slug(action)}-${n}.hgrm`;
      used.add(name);
      files.push({ name, series: s.label, action, text: hgrmText(histogram, HGRM_UNIT_RATIO) });
    }
  }
  return files;
}
