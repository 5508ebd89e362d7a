/**
 * Byte sizes as typed on a command line: `64MiB`, `64M`, `1.5GB`, `4096`.
 * One unit table for every option that takes a size: K/M/G/T and KiB/MiB/GiB/TiB
 * are binary (1024ⁿ), KB/MB/GB/TB decimal (1000ⁿ), case-insensitive. The
 * engine's settings read the same table (engine/units.ts keeps its own copy, as
 * it imports nothing outside engine/; test/shared/byte-size.test.ts checks they agree).
 */
export const BYTE_UNITS: Readonly<Record<string, number>> = {
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

const NUMBER_WITH_UNIT = /^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i;

/** A size ≥ 0 in whole bytes (rounded), or undefined for text that is not one (no number, an unknown unit, a sign). */
export function parseByteSize(text: string): number | undefined {
  const match = NUMBER_WITH_UNIT.exec(text);
  if (!match) return undefined;
  const factor = BYTE_UNITS[match[2]!.toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.round(Number(match[1]) * factor);
  return Number.isFinite(bytes) ? bytes : undefined;
}
