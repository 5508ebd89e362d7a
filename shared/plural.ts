/** `1 process`, `4 processes`, `1,000 runs`: a count with the noun that agrees with it. */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
