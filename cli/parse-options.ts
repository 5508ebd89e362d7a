import { InvalidArgumentError } from 'commander';

/** Commander argument parsers: a bad value becomes commander's one-line error and exit code 2. */
export function positiveInteger(text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n <= 0)
    throw new InvalidArgumentError('expected a positive integer, e.g. 4');
  return n;
}

export function nonNegativeInteger(text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected an integer ≥ 0');
  return n;
}

/** Seconds: `30`, `2.5`, `500ms`, `2m`. */
export function duration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!match) throw new InvalidArgumentError('expected seconds, e.g. 30, 2.5, 500ms or 2m');
  const value = Number(match[1]) * (match[2] === 'ms' ? 0.001 : match[2] === 'm' ? 60 : 1);
  if (!(value > 0)) throw new InvalidArgumentError('expected a duration > 0');
  return value;
}

export function positiveNumber(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
