import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, createReadStream, existsSync, openSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync, type ReadStream } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { DiskOptions, StoredValue } from './disk.js';
import { CacheDirectoryError, CorruptCacheError, InvalidValueError } from './errors.js';
import { makeDirectory } from './modes.js';

/** errno codes meaning the cache directory cannot take the write: typed as CacheDirectoryError. */
const CANNOT_WRITE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT']);

/**
 * The spill files of one cache directory: naming, writing, reading and
 * removing them. `Disk` extends it, so a Disk subclass that overrides a method
 * here (say `newFilename` or `path`) changes what the encoder uses too.
 */
export class SpillFiles {
  /** The directory with a trailing separator: every spill path starts with it. */
  private readonly root: string;

  constructor(readonly directory: string, readonly options: DiskOptions) {
    this.root = join(directory, sep);
  }

  /** Absolute path of a spill file. */
  path(filename: string): string {
    const full = join(this.directory, filename);
    // A tampered row must not make the cache read or remove files outside its directory.
    if (!full.startsWith(this.root)) throw new CorruptCacheError(full, 'is named by a row of cache.db but lies outside the cache directory');
    return full;
  }

  /** Removes a spill file; a file already gone is fine (another process may have removed it). */
  remove(filename: string): void {
    rmSync(this.path(filename), { force: true });
    // Then its hashed folders once empty, as diskcache does: otherwise replaced values leave up
    // to 65,792 empty folders behind (a block each), unseen by volume() and reported by check().
    for (let folder = dirname(filename); folder !== '.' && folder !== '/'; folder = dirname(folder)) {
      try {
        rmdirSync(this.path(folder));
      } catch {
        return; // not empty: its parent is not either
      }
    }
  }

  private removeQuietly(filename: string): void {
    try {
      this.remove(filename);
    } catch {
      // A folder we cannot write is a folder we cannot clean either; check() reports leftovers.
    }
  }

  /** A fresh random spill name in hashed subfolders — never derived from the key. */
  newFilename(): string {
    const hex = randomBytes(16).toString('hex');
    return `${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}.val`;
  }

  /** A spill file opened now, so a concurrent delete cannot pull it away from the stream. */
  openFile(filename: string): ReadStream {
    const fd = openSync(this.path(filename), 'r');
    return createReadStream('', { fd });
  }

  /** A spill file's bytes; one over what a Buffer (2 GiB) or a string holds is a typed error pointing at read(). */
  readFile(filename: string): Buffer {
    const full = this.path(filename);
    try {
      return readFileSync(full);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_FS_FILE_TOO_LARGE') throw error;
      throw new InvalidValueError(`spill file ${full} is over the 2 GiB a Buffer can hold; read it as a stream with read(key) or get(key, { read: true })`);
    }
  }

  /** Writes `data` to a new spill file and points `out` at it (the value leaves the row). */
  protected spill(data: string | Uint8Array, out: StoredValue): void {
    const filename = this.newFilename();
    const full = this.path(filename);
    this.ensureFolder(full, () => {
      writeFileSync(full, data, { mode: this.options.fileMode });
      chmodSync(full, this.options.fileMode); // the mode given to open is masked by the umask
    });
    out.filename = filename;
    out.value = null;
    out.size = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  }

  /** Copies the file at `source` into a new spill file and points `out` at it. */
  protected copyIn(source: string, out: StoredValue): void {
    // Checked first: a missing source would otherwise look like a vanished spill folder to ensureFolder's retry.
    let stat;
    try {
      stat = statSync(source);
    } catch (error) {
      throw new InvalidValueError(`read: true source file ${source} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); pass an existing file path or bytes`);
    }
    if (!stat.isFile()) throw new InvalidValueError(`read: true source ${source} is not a regular file; pass a file path or bytes`);
    const filename = this.newFilename();
    const full = this.path(filename);
    this.ensureFolder(full, () => copyFileSync(source, full));
    chmodSync(full, this.options.fileMode); // copyFileSync keeps the source's mode
    out.filename = filename;
    out.value = null;
    out.size = statSync(full).size;
  }

  /**
   * Creates the hashed subfolders of a spill file (owner-only by default), then
   * runs `write`. Another process's remove() may delete the folder in between
   * when it empties it, so that ENOENT is retried (as diskcache does).
   */
  ensureFolder(full: string, write?: () => void): void {
    for (let attempt = 1; ; attempt++) {
      try {
        makeDirectory(dirname(full), this.options.dirMode);
        if (write === undefined) return;
        return write();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        // Only a vanished destination folder is retried: an ENOENT about anything else (a source file) is final.
        if (code === 'ENOENT' && write !== undefined && attempt < 10 && !existsSync(dirname(full))) continue;
        // A file cut short by a full disk (and its new folders) must not stay behind.
        if (write !== undefined) this.removeQuietly(full.slice(this.root.length));
        if (!CANNOT_WRITE.has(code)) throw error;
        throw new CacheDirectoryError(this.directory, `cannot write spill file ${full} (${code}); check permissions and free space`, error);
      }
    }
  }
}
