/**
 * Human units for latencies recorded as integer nanoseconds. Each value gets
 * its own unit (ns, µs, ms or s) with three significant digits, the way
 * python-diskcache's benchmark tables print them, so a 2 µs get and a 40 ms
 * set are both readable in one column.
 */
const UNITS: readonly { unit: string; ns: number }[] = [
  { unit: 's', ns: 1e9 },
  { unit: 'ms', ns: 1e6 },
  { unit: 'µs', ns: 1e3 },
  { unit: 'ns', ns: 1 },
];

export interface FormatDurationOptions {
  /** Significant digits kept. @default 3 */
  digits?: number;
  /** Put a space between number and unit. @default true */
  space?: boolean;
}

export function formatDuration(ns: number, options: FormatDurationOptions = {}): string {
  const digits = options.digits ?? 3;
  const sep = (options.space ?? true) ? ' ' : '';
  if (!Number.isFinite(ns)) return String(ns);
  if (ns === 0) return `0${sep}ns`;
  const sign = ns < 0 ? '-' : '';
  const abs = Math.abs(ns);
  // Sub-nanosecond values only arise from averages; show them as ns.
  if (abs < 1) return `${sign}${trim(abs.toPrecision(digits))}${sep}ns`;
  for (const { unit, ns: scale } of UNITS) {
    // Round first, then pick the unit: 999.96 µs must print as 1.00 ms, not 1000 µs.
    const rounded = Number((abs / scale).toPrecision(digits));
    if (rounded >= 1 || scale === 1) {
      const text = scale === 1 ? String(Math.round(abs)) : fixedSignificant(rounded, digits);
      return `${sign}${text}${sep}${unit}`;
    }
  }
  /* c8 ignore next */
  return `${sign}${abs}${sep}ns`;
}

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

/** `12.3`, `123`, `1.20` — a fixed number of significant digits without exponent notation. */
function fixedSignificant(value: number, digits: number): string {
  const integerDigits = Math.floor(Math.log10(value)) + 1;
  const decimals = Math.max(0, digits - integerDigits);
  return value.toFixed(decimals);
}

function trim(text: string): string {
  return text.includes('e') ? String(Number(text)) : text;
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
