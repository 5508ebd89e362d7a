import {
  CacheStateError,
  InvalidKeyError,
  InvalidOptionError,
  InvalidValueError,
  MissingKeyError,
  ShardLayoutError,
} from './errors.js';
import type { Layout } from './fanout-layout.js';
import { newerLayout } from './fanout-open.js';

/**
 * A shard error of a process still on a layout a migration has left (its
 * shards are retired: "no such table", or I/O errors once their files are
 * gone) becomes ShardLayoutError. fanout.json is read only here, on the
 * error path; errors about the caller's input are passed on unread.
 */
export function staleLayoutError(error: unknown, directory: string, layout: Layout): unknown {
  if (
    error instanceof InvalidKeyError ||
    error instanceof InvalidValueError ||
    error instanceof InvalidOptionError ||
    error instanceof MissingKeyError ||
    error instanceof CacheStateError ||
    error instanceof ShardLayoutError
  ) {
    return error;
  }
  const current = newerLayout(directory, layout);
  if (current === undefined) return error;
  const stale = new ShardLayoutError(
    directory,
    `the shard layout changed (generation ${current.generation}, ${current.shards} shards; ` +
      `this handle was opened on generation ${layout.generation}); reopen the cache`,
  );
  stale.cause = error;
  return stale;
}
