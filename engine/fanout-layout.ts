import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { CorruptCacheError } from './errors.js';
import { mapFsError } from './fs-errors.js';

/**
 * The layout of a FanoutCache directory, kept in `fanout.json` next to the
 * shard folders, so a reopen with another shard count is caught instead of
 * silently looking keys up in the wrong shards (diskcache's known pitfall).
 *
 * `generation` names the shard folders: generation 0 uses `000`, `001`, …
 * directly under the directory; a migration writes generation g+1 under
 * `gen-<g+1>/` and switches by replacing fanout.json (an atomic rename).
 */
export interface Layout {
  format: 'cachebench-fanout';
  version: 1;
  shards: number;
  /** The key hash (shard-hash.ts HASH_NAME) entries were placed with. */
  hash: string;
  generation: number;
}

export const LAYOUT_FILE = 'fanout.json';

export function shardDirectory(directory: string, generation: number, index: number): string {
  const name = String(index).padStart(3, '0');
  return generation === 0 ? join(directory, name) : join(directory, `gen-${generation}`, name);
}

/** The folder a generation's shards live in (only generations > 0 have their own). */
export function generationRoot(directory: string, generation: number): string | undefined {
  return generation === 0 ? undefined : join(directory, `gen-${generation}`);
}

export function readLayout(directory: string): Layout | undefined {
  const file = join(directory, LAYOUT_FILE);
  let text: string;
  try {
    // A directory (or device) named fanout.json would otherwise fail as a raw EISDIR, or block.
    if (!statSync(file).isFile())
      throw new CorruptCacheError(file, 'is not a regular file (the fanout layout must be one)');
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw mapFsError(error, file, directory, `read ${file}`); // EIO from a failing disk: CacheIOError
  }
  let parsed: Partial<Layout>;
  try {
    parsed = JSON.parse(text) as Partial<Layout>;
  } catch {
    throw new CorruptCacheError(file, 'is not valid JSON');
  }
  const { shards, generation, hash } = parsed;
  if (
    parsed.format !== 'cachebench-fanout' ||
    parsed.version !== 1 ||
    !Number.isInteger(shards) ||
    shards! < 1 ||
    !Number.isInteger(generation) ||
    generation! < 0 ||
    typeof hash !== 'string'
  ) {
    throw new CorruptCacheError(file, 'is not a cachebench fanout layout (format, version, shards, hash, generation)');
  }
  return parsed as Layout;
}

/** Writes the text to a fresh temp file in `directory`, flushed to disk; returns its path. */
function writeTemp(directory: string, text: string, mode: number): string {
  const temp = join(directory, `.${LAYOUT_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    fchmodSync(fd, mode); // open's mode is masked by the umask; the layout file must get the configured one
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    rmSync(temp, { force: true }); // a failing disk must not leave the temp file behind
    throw error;
  } finally {
    closeSync(fd);
  }
  return temp;
}

/**
 * Creates fanout.json unless another process got there first; returns the
 * layout in force. link() fails when the name exists, so exactly one of
 * several processes creating the directory at once wins, and nobody ever
 * reads a half-written file.
 */
export function createLayout(directory: string, layout: Layout, mode: number): Layout {
  const file = join(directory, LAYOUT_FILE);
  let temp: string;
  try {
    temp = writeTemp(directory, JSON.stringify(layout), mode);
  } catch (error) {
    throw mapFsError(error, file, directory, `create ${file}`);
  }
  try {
    linkSync(temp, file);
    return layout;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw mapFsError(error, file, directory, `create ${file}`);
    return readLayout(directory)!;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Replaces fanout.json atomically (rename): readers see the old or the new layout, never a mix. */
export function replaceLayout(directory: string, layout: Layout, mode: number): void {
  const temp = writeTemp(directory, JSON.stringify(layout), mode);
  renameSync(temp, join(directory, LAYOUT_FILE));
  // Make the rename itself durable before the old generation is removed.
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
