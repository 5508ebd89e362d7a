import type { BackendOptions } from './backend.js';

/** A parsed `--backend` entry: `name[:key=value,key=value]`. */
export interface BackendSelection {
  name: string;
  options: BackendOptions;
  /** The text as the user wrote it (normalised spacing); used as the label in results. */
  label: string;
}

export class BackendSpecError extends Error {
  readonly code = 'BACKEND_SPEC';
  constructor(message: string) {
    super(message);
    this.name = 'BackendSpecError';
  }
}

/**
 * Parses one backend selection, e.g. `sqlite:shards=8,mmap_size=0`.
 * Option values stay text; each factory validates and converts its own.
 */
export function parseBackendSelection(text: string): BackendSelection {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const name = (colon === -1 ? trimmed : trimmed.slice(0, colon)).trim();
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new BackendSpecError(`backend "${text}": expected name[:key=value,...], e.g. sqlite:mmap_size=0`);
  }
  const options: BackendOptions = {};
  if (colon !== -1) {
    for (const pair of trimmed.slice(colon + 1).split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new BackendSpecError(`backend "${text}": option "${pair}" is not key=value`);
      const key = pair.slice(0, eq).trim();
      if (key in options) throw new BackendSpecError(`backend "${text}": option "${key}" given twice`);
      options[key] = pair.slice(eq + 1).trim();
    }
  }
  const rendered = Object.entries(options).map(([k, v]) => `${k}=${v}`).join(',');
  return { name, options, label: rendered ? `${name}:${rendered}` : name };
}

/** Splits a `--backends` list. Commas separate backends unless they follow a `key=value` inside one (`a:x=1,y=2;b`), so `;` or spaces separate backends that carry options. */
export function parseBackendList(text: string): BackendSelection[] {
  const parts = text.includes(';') || /\s/.test(text.trim())
    ? text.split(/[;\s]+/)
    : splitPlainList(text);
  return parts.filter((p) => p.trim() !== '').map(parseBackendSelection);
}

// Without `;` a comma after a `key=value` continues that backend's options,
// while a comma before a bare name starts a new backend: `sqlite,fanout:shards=4,redis`.
function splitPlainList(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(',')) {
    const last = out.length - 1;
    if (last >= 0 && piece.includes('=') && !piece.includes(':') && out[last]!.includes(':')) {
      out[last] += `,${piece}`;
    } else {
      out.push(piece);
    }
  }
  return out;
}
