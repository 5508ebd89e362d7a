import type { BackendOptions, OptionDoc } from './backend.js';
import { BackendSpecError } from './spec.js';

/**
 * Validation helpers shared by the factories. Every backend validates its
 * `name:key=value` options in `provision` (in the parent), so a typo fails
 * the run before any worker starts, with the option named in the message.
 */

/** Throws on an option the backend does not know, suggesting the closest known name. */
export function rejectUnknownOptions(backend: string, options: BackendOptions, known: Record<string, OptionDoc>): void {
  const names = Object.keys(known);
  for (const key of Object.keys(options)) {
    if (key in known) continue;
    const guess = closest(key, names);
    const hint = guess ? `; did you mean "${guess}"?` : names.length ? `; known options: ${names.join(', ')}` : '; it takes no options';
    throw new BackendSpecError(`backend ${backend}: unknown option "${key}"${hint}`);
  }
}

/** A non-negative integer option, e.g. `max_entries=300`. */
export function integerOption(backend: string, key: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new BackendSpecError(`backend ${backend}: option ${key}="${text}" must be a whole number ≥ 0`);
  return Number(text);
}

/** A number of seconds, or `none` for no limit, e.g. `timeout=300`. */
export function secondsOption(backend: string, key: string, text: string | undefined, fallback: number | null): number | null {
  if (text === undefined) return fallback;
  if (text === 'none') return null;
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value <= 0) {
    throw new BackendSpecError(`backend ${backend}: option ${key}="${text}" must be seconds > 0 or "none"`);
  }
  return value;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30 };

/** A byte count with an optional unit, e.g. `mmap_size=64MiB` or `mmap_size=67108864`. */
export function sizeOption(backend: string, key: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text);
  const unit = match ? SIZE_UNITS[match[2]!.toLowerCase()] : undefined;
  if (!match || unit === undefined) {
    throw new BackendSpecError(`backend ${backend}: option ${key}="${text}" must be a size such as 0, 67108864 or 64MiB`);
  }
  return Math.round(Number(match[1]) * unit);
}

/** One of a fixed set of words, case-insensitive, e.g. `synchronous=normal`. */
export function choiceOption<T extends string>(backend: string, key: string, text: string | undefined, choices: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  const lower = text.toLowerCase();
  const found = choices.find((c) => c === lower);
  if (!found) throw new BackendSpecError(`backend ${backend}: option ${key}="${text}" must be one of ${choices.join(', ')}`);
  return found;
}

/** Validates an expiry argument the same way in every backend: seconds > 0 or undefined. */
export function checkExpire(backend: string, expireSeconds: number | undefined): void {
  if (expireSeconds === undefined) return;
  if (!Number.isFinite(expireSeconds) || expireSeconds <= 0) {
    throw new RangeError(`${backend}: expire must be a number of seconds > 0, got ${expireSeconds}`);
  }
}

// A shortened name (`cull_freq`) or a Levenshtein distance ≤ 2 (`max_entry`)
// catches the usual slips without suggesting unrelated names.
function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  if (lower.length >= 3) {
    const prefixed = candidates.find((candidate) => candidate.startsWith(lower));
    if (prefixed) return prefixed;
  }
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
