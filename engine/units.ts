/**
 * Parsers for setting texts as typed on a command line (`64MiB`, `1.5s`,
 * `true`). Each returns `undefined` on text it cannot read so the caller can
 * build an error that names the setting.
 */

const BYTE_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1024,
  kib: 1024,
  kb: 1000,
  m: 1024 ** 2,
  mib: 1024 ** 2,
  mb: 1000 ** 2,
  g: 1024 ** 3,
  gib: 1024 ** 3,
  gb: 1000 ** 3,
  t: 1024 ** 4,
  tib: 1024 ** 4,
  tb: 1000 ** 4,
};

const SECOND_UNITS: Readonly<Record<string, number>> = {
  '': 1,
  s: 1,
  sec: 1,
  ms: 1e-3,
  us: 1e-6,
  m: 60,
  min: 60,
  h: 3600,
  d: 86400,
};

const NUMBER_WITH_UNIT = /^\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i;

function scaled(text: string, units: Readonly<Record<string, number>>): number | undefined {
  const match = NUMBER_WITH_UNIT.exec(text);
  if (!match) return undefined;
  const factor = units[match[2].toLowerCase()];
  if (factor === undefined) return undefined;
  return Number(match[1]) * factor;
}

/** `64MiB` → 67108864; binary prefixes for K/M/G/KiB..., decimal for KB/MB/GB. */
export function parseBytes(text: string): number | undefined {
  const value = scaled(text, BYTE_UNITS);
  return value === undefined ? undefined : Math.round(value);
}

/** `1.5`, `1500ms`, `2m` → seconds (float). */
export function parseSeconds(text: string): number | undefined {
  return scaled(text, SECOND_UNITS);
}

/** Plain number without unit (counts, pages). */
export function parseCount(text: string): number | undefined {
  return scaled(text, { '': 1 });
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function parseBoolean(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return undefined;
}

/** File modes are octal, with or without a leading 0 / 0o: `600`, `0600`, `0o600`. */
export function parseMode(text: string): number | undefined {
  const match = /^\s*(?:0o?)?([0-7]{1,4})\s*$/i.exec(text);
  return match ? parseInt(match[1], 8) : undefined;
}

/** Edit distance, for "did you mean ...?" hints on misspelt option names. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(above + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The closest candidate when it is close enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const plain = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(plain(name), plain(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}
