import type { BackendOptions } from './backend.js';
import { CachebenchError } from '../shared/cachebench-error.js';

/** A parsed `--backend` entry: `name[:key=value,key=value]`. */
export interface BackendSelection {
  name: string;
  options: BackendOptions;
  /** The text as the user wrote it (normalised spacing); used as the label in results. */
  label: string;
}

export class BackendSpecError extends CachebenchError<'BACKEND_SPEC'> {
  constructor(message: string) {
    super('BACKEND_SPEC', message);
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
  const rendered = Object.entries(options)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return { name, options, label: rendered ? `${name}:${rendered}` : name };
}
