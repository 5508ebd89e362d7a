/**
 * The one duration formatter: latencies recorded as integer nanoseconds, each
 * value in its own unit (ns, µs, ms or s) with three significant digits, the
 * way python-diskcache's benchmark tables print them, so a 2 µs get and a
 * 40 ms set are both readable in one column. The progress line, the tables,
 * the summary and compare all print through it, so a figure reads the same
 * everywhere ("17.3 µs", never "17.34 µs" in one place and "17.3 µs" in another).
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
  if (abs < 1) return `${sign}${trimExponent(abs.toPrecision(digits))}${sep}ns`;
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

/** `12.3`, `123`, `1.20` — a fixed number of significant digits without exponent notation. */
export function fixedSignificant(value: number, digits: number): string {
  const integerDigits = Math.floor(Math.log10(value)) + 1;
  const decimals = Math.max(0, digits - integerDigits);
  return value.toFixed(decimals);
}

function trimExponent(text: string): string {
  return text.includes('e') ? String(Number(text)) : text;
}
