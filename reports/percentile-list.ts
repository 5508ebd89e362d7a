/**
 * The percentiles the tables show (`--percentiles 50,90,99,99.9,99.99`): the
 * list, its parsing and its names (percentile-value.ts reads the values). No
 * heavy imports, so the CLI can check the option before loading anything.
 * The default is python-diskcache's columns: Median, P90, P99 (then Max).
 * 100 is not a percentile column: Max is always there.
 */
import { ReportError } from './errors.js';

export const DEFAULT_PERCENTILES: readonly number[] = [50, 90, 99];

/**
 * `50,90,99.9` → [50, 90, 99.9], kept in the order given. Each must be a plain
 * decimal strictly between 0 and 100, given once.
 */
export function parsePercentiles(text: string): number[] {
  const example = 'e.g. --percentiles 50,90,99,99.9';
  const parts = text.split(',').map((p) => p.trim());
  if (parts.every((p) => p === ''))
    throw new ReportError('BAD_PERCENTILES', `--percentiles is empty; give a comma-separated list, ${example}`);
  const seen = new Set<number>();
  return parts.map((part) => {
    if (!/^\d+(\.\d+)?$/.test(part))
      throw new ReportError(
        'BAD_PERCENTILES',
        `--percentiles: "${part}" is not a number; give percentiles between 0 and 100, ${example}`,
      );
    const value = Number(part);
    if (!(value > 0 && value < 100))
      throw new ReportError(
        'BAD_PERCENTILES',
        `--percentiles: ${part} is out of range; each must be above 0 and below 100 (the Max column is always shown)`,
      );
    if (seen.has(value))
      throw new ReportError('BAD_PERCENTILES', `--percentiles: ${part} is given twice; list each percentile once`);
    seen.add(value);
    return value;
  });
}

/** Column heading: diskcache's `Median` for 50, else `P90`, `P99.9`. */
export function percentileColumn(p: number): string {
  return p === 50 ? 'Median' : `P${p}`;
}

/** Key in JSON exports and summary.json: `p50`, `p99.9`. */
export function percentileKey(p: number): string {
  return `p${p}`;
}
