/**
 * `.hgrm` export: HdrHistogram's percentile distribution text, one file per
 * series × action, for HdrHistogram's plotter and other HDR tooling.
 *
 * Unit: microseconds. Results hold nanoseconds, and the format prints values
 * with as many decimals as the histogram's significant digits (3), so µs keeps
 * nanosecond resolution (2.417 µs) while ms would round a 2 µs get to 0.002.
 * The first line says so: `#[Value unit: microseconds …]`. HdrHistogram's
 * plotter (plotFiles.html) skips lines starting with `#`, as it does the
 * `#[Mean …]` footer, and asks the user for the unit.
 *
 * Beside each `.hgrm`, the same series × action's interval log (`.hlog`,
 * hlog.ts) when its intervals hold the action.
 */
import { decodeHistogram, hgrmText } from '../results/histogram.js';
import { hlogText } from './hlog.js';
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
  /** The interval log (hlog.ts), named like the `.hgrm` with `.hlog`; absent without intervals. */
  hlog?: { name: string; text: string };
}

export const HGRM_UNIT_LINE = '#[Value unit: microseconds (the results hold nanoseconds; divided by 1000)]';

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
      const file: HgrmFile = {
        name,
        series: s.label,
        action,
        text: `${HGRM_UNIT_LINE}\n${hgrmText(histogram, HGRM_UNIT_RATIO)}`,
      };
      const hlog = hlogText(s.backend.intervals, { series: s.label, action, runStartedAt: s.file.createdAt });
      if (hlog !== null) file.hlog = { name: name.replace(/\.hgrm$/, '.hlog'), text: hlog };
      files.push(file);
    }
  }
  return files;
}
