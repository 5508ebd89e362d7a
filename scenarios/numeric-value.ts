/** Reads a counter value (what `pop` answers in analytics) as a number, whatever type the store returns. */
export function numericValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (value instanceof Uint8Array)
    return Number(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8'));
  return Number.NaN;
}
