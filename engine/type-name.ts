/** A value's type for an error message: `null`, `object Date`, `object with null prototype`, `function`, … */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    return `object ${proto?.constructor?.name ?? 'with null prototype'}`;
  }
  return typeof value;
}
