/** String.prototype.isWellFormed (ES2024, in Node 20; not in this TypeScript lib yet): false when a surrogate is unpaired. */
export function isWellFormed(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}
