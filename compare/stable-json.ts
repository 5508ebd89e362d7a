/**
 * JSON with object keys sorted at every depth, so two objects that differ
 * only in key order print the same: the "same configuration" test of compare
 * (and, once it switches, of `cachebench merge`). Keys sort by UTF-16 code
 * unit, not localeCompare, so the text is the same under every locale.
 * `undefined` (which JSON.stringify drops or returns as undefined) prints
 * as `undefined`, so a missing value never equals an explicit null.
 */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
