/**
 * "Did you mean …?" for misspelt names (options, settings, keys). A name is
 * compared with case, `_` and `-` ignored; a candidate it starts (3+
 * characters, `cull_freq` → `cull_frequency`) wins, otherwise the nearest by
 * edit distance within max(2, ⌊length/4⌋), so unrelated names are not
 * suggested. The engine keeps its own (engine/units.ts, the same distance
 * rule without the prefix rule), as it imports nothing outside engine/.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const plain = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  const wanted = plain(name);
  const list = [...candidates];
  if (wanted.length >= 3) {
    const prefixed = list.find((candidate) => plain(candidate).startsWith(wanted));
    if (prefixed !== undefined) return prefixed;
  }
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of list) {
    const distance = editDistance(wanted, plain(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions of one character each. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}
