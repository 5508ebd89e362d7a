import { fixedSignificant, formatDuration } from '../shared/format-duration.js';

// One duration formatter for the whole command line; the table and ratio variants below build on it.
export { formatDuration, type FormatDurationOptions } from '../shared/format-duration.js';

/**
 * A latency for the text tables, in the units python-diskcache's benchmark
 * tables use and its tests/plot.py parses: `us`, `ms` or `s`, in ASCII, never
 * `ns` (plot.py reads a trailing `s` as seconds). Three significant digits, as
 * `formatDuration`; under a microsecond three decimals of `us` (`0.412 us`)
 * keep nanosecond resolution.
 */
export function formatTableDuration(ns: number): string {
  if (Number.isFinite(ns) && Math.abs(ns) < 999.5) return `${(ns / 1_000).toFixed(3)} us`;
  return formatDuration(ns).replace('µs', 'us');
}

/** Counts with thin grouping so 1234567 reads as 1,234,567. */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** A rate such as 0.0123 as `1.23%`. */
export function formatPercent(fraction: number, digits = 3): string {
  if (!Number.isFinite(fraction)) return '—';
  if (fraction === 0) return '0%';
  return `${fixedSignificant(Number((fraction * 100).toPrecision(digits)), digits)}%`;
}

/** `1.05`, `14.3`, `210`, `0.031`: three significant figures (two below 1), never exponent notation. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  if (ratio > 0 && ratio < 1) {
    const text = ratio.toPrecision(2);
    return text.includes('e') ? String(Number(text)) : text;
  }
  // Round first: 9.996 is 10.0, not 10.00.
  const r = Number(ratio.toPrecision(3));
  if (r >= 100) return String(Math.round(r));
  return r.toFixed(r >= 10 ? 1 : 2);
}
