import { parseByteSize } from '../shared/byte-size.js';
import { closest } from '../shared/did-you-mean.js';
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
    const hint = guess
      ? `; did you mean "${guess}"?`
      : names.length
        ? `; known options: ${names.join(', ')}`
        : '; it takes no options';
    throw new BackendSpecError(`backend ${backend}: unknown option "${key}"${hint}`);
  }
}

/** A non-negative integer option, e.g. `max_entries=300`. */
export function integerOption(backend: string, key: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text))
    throw new BackendSpecError(`backend ${backend}: option ${key}="${text}" must be a whole number ≥ 0`);
  return Number(text);
}

/** A number of seconds, or `none` for no limit, e.g. `timeout=300`. */
export function secondsOption(
  backend: string,
  key: string,
  text: string | undefined,
  fallback: number | null,
): number | null {
  if (text === undefined) return fallback;
  if (text === 'none') return null;
  const value = Number(text);
  if (text === '' || !Number.isFinite(value) || value <= 0) {
    throw new BackendSpecError(`backend ${backend}: option ${key}="${text}" must be seconds > 0 or "none"`);
  }
  return value;
}

/** A byte count with an optional unit (shared/byte-size.ts: `64M`, `64MiB`, `1GB`), e.g. `mmap_size=64MiB` or `mmap_size=67108864`. */
export function sizeOption(backend: string, key: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const bytes = parseByteSize(text);
  if (bytes === undefined) {
    throw new BackendSpecError(
      `backend ${backend}: option ${key}="${text}" must be a size such as 0, 67108864 or 64MiB`,
    );
  }
  return bytes;
}

/** One of a fixed set of words, case-insensitive, e.g. `synchronous=normal`. */
export function choiceOption<T extends string>(
  backend: string,
  key: string,
  text: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (text === undefined) return fallback;
  const lower = text.toLowerCase();
  const found = choices.find((c) => c === lower);
  if (!found)
    throw new BackendSpecError(`backend ${backend}: option ${key}="${text}" must be one of ${choices.join(', ')}`);
  return found;
}

/** Validates an expiry argument the same way in every backend: seconds > 0 or undefined. */
export function checkExpire(backend: string, expireSeconds: number | undefined): void {
  if (expireSeconds === undefined) return;
  if (!Number.isFinite(expireSeconds) || expireSeconds <= 0) {
    throw new RangeError(`${backend}: expire must be a number of seconds > 0, got ${expireSeconds}`);
  }
}
