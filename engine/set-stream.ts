import { closeSync, createWriteStream, fchmodSync, openSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StoreOptions } from './arguments.js';
import type { Core } from './core.js';
import { MODE, type Key } from './disk.js';
import { typeName } from './type-name.js';
import { InvalidValueError } from './errors.js';
import { mapFsError } from './fs-errors.js';
import { storeEntry } from './store.js';

/**
 * Streams bytes into a new spill file, then commits the row that points at it
 * (the only async method: streams are). The key then reads back as a Buffer,
 * or as a stream with `get(key, { read: true })` / `read(key)`.
 */
export async function setStream(
  core: Core,
  key: Key,
  stream: Readable | AsyncIterable<Uint8Array | string>,
  options?: Omit<StoreOptions, 'read'>,
): Promise<boolean> {
  const disk = core.disk;
  const kind = disk.keyKind(key);
  // Checked before the spill file (and its folders and fd) exist: pipeline() would only refuse it later.
  if (!isStreamSource(stream)) {
    throw new InvalidValueError(
      `setStream needs a Readable or an async iterable of bytes or strings, got ${typeName(stream)}; use set() for a plain value`,
    );
  }
  const filename = disk.newFilename();
  const full = disk.path(filename);
  // Opened now, inside ensureFolder's retry: a folder emptied by another process may vanish meanwhile.
  let fd = -1;
  try {
    disk.ensureFolder(full, () => {
      fd = openSync(full, 'w', disk.options.fileMode);
      fchmodSync(fd, disk.options.fileMode); // not left to the umask
    });
  } catch (error) {
    if (fd !== -1) closeSync(fd); // opened, then the folder sync failed (ensureFolder removed the file)
    throw error;
  }
  // flush: the data is fsynced before the stream finishes (ensureFolder synced the folder entries).
  const sink = createWriteStream('', { fd, flush: disk.syncFiles });
  try {
    // Every chunk goes through bytesOnly: a non-byte chunk (an object-mode stream) reached the file
    // stream's write(), which threw outside the pipeline and killed the process.
    await pipeline(stream, bytesOnly, sink);
  } catch (error) {
    sink.destroy(); // closes the fd even when pipeline() failed before taking the sink
    disk.remove(filename); // and its folders once empty
    // The source stream's own errors pass through; the spill file's (EIO, ENOSPC) become typed.
    throw sink.errored === error ? mapFsError(error, full, disk.directory, `write spill file ${full}`) : error;
  }
  let size: number;
  try {
    size = statSync(full).size;
  } catch (error) {
    throw mapFsError(error, full, disk.directory, `read spill file ${full}`);
  }
  return storeEntry(core, key, kind, { mode: MODE.BYTES, value: null, filename, size }, options, false);
}

/** Passes bytes and strings on; anything else ends the pipeline with a typed error. */
async function* bytesOnly(source: AsyncIterable<unknown>): AsyncGenerator<Uint8Array | string> {
  for await (const chunk of source) {
    if (chunk instanceof Uint8Array || typeof chunk === 'string') yield chunk;
    else
      throw new InvalidValueError(
        `setStream takes chunks of bytes or strings, got a chunk of ${typeName(chunk)} (an object-mode stream?); nothing was stored`,
      );
  }
}

function isStreamSource(stream: unknown): boolean {
  if (typeof stream !== 'object' || stream === null) return false;
  return (
    typeof (stream as { pipe?: unknown }).pipe === 'function' ||
    typeof (stream as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}
