import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  createReadStream,
  existsSync,
  fchmodSync,
  fsyncSync,
  openSync,
  readFileSync,
  rmdirSync,
  rmSync,
  statSync,
  writeFileSync,
  type ReadStream,
} from 'node:fs';
import { dirname, join, sep } from 'node:path';
import type { DiskOptions, StoredValue } from './disk-options.js';
import { InvalidValueError, CorruptCacheError } from './errors.js';
import { mapFsError } from './fs-errors.js';
import { makeDirectory } from './modes.js';

/**
 * The spill files of one cache directory: naming, writing, reading and
 * removing them. `Disk` extends it, so a Disk subclass that overrides a method
 * here (say `newFilename` or `path`) changes what the encoder uses too.
 */
export class SpillFiles {
  /** The directory with a trailing separator: every spill path starts with it. */
  private readonly root: string;

  constructor(
    readonly directory: string,
    readonly options: DiskOptions,
  ) {
    this.root = join(directory, sep);
  }

  /** Absolute path of a spill file. */
  path(filename: string): string {
    const full = join(this.directory, filename);
    // A tampered row must not make the cache read or remove files outside its directory.
    if (!full.startsWith(this.root))
      throw new CorruptCacheError(full, 'is named by a row of cache.db but lies outside the cache directory');
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
      throw new InvalidValueError(
        `spill file ${full} is over the 2 GiB a Buffer can hold; read it as a stream with read(key) or get(key, { read: true })`,
      );
    }
  }

  /** Spill files are fsynced (with their folder entries) unless the cache runs synchronous=off. */
  get syncFiles(): boolean {
    return this.options.syncFiles !== false;
  }

  /** Writes `data` to a new spill file and points `out` at it (the value leaves the row). */
  protected spill(data: string | Uint8Array, out: StoredValue): void {
    const filename = this.newFilename();
    const full = this.path(filename);
    this.ensureFolder(full, () => {
      const fd = openSync(full, 'w', this.options.fileMode);
      try {
        fchmodSync(fd, this.options.fileMode); // the mode given to open is masked by the umask
        writeFileSync(fd, data);
        if (this.syncFiles) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
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
      throw new InvalidValueError(
        `read: true source file ${source} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); pass an existing file path or bytes`,
      );
    }
    if (!stat.isFile())
      throw new InvalidValueError(`read: true source ${source} is not a regular file; pass a file path or bytes`);
    const filename = this.newFilename();
    const full = this.path(filename);
    this.ensureFolder(full, () => {
      copyFileSync(source, full);
      chmodSync(full, this.options.fileMode); // copyFileSync keeps the source's mode
      if (this.syncFiles) this.syncPath(full);
    });
    out.filename = filename;
    out.value = null;
    out.size = statSync(full).size;
  }

  /**
   * Creates the hashed subfolders of a spill file (owner-only by default), then
   * runs `write`. Another process's remove() may delete the folder in between
   * when it empties it, so that ENOENT is retried (as diskcache does). With
   * syncFiles, the directory entries are then fsynced: the file's own in its
   * folder and each new folder's in its parent — a file fsync makes its data
   * durable, not its name (`write` syncs the data).
   */
  ensureFolder(full: string, write?: () => void): void {
    for (let attempt = 1; ; attempt++) {
      try {
        const created = makeDirectory(dirname(full), this.options.dirMode);
        if (write === undefined) return;
        write();
        if (this.syncFiles) this.syncEntries(full, created);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        // Only a vanished destination folder is retried: an ENOENT about anything else (a source file) is final.
        if (code === 'ENOENT' && write !== undefined && attempt < 10 && !existsSync(dirname(full))) continue;
        // A file cut short by a full disk or a failing one (and its new folders) must not stay behind.
        if (write !== undefined) this.removeQuietly(full.slice(this.root.length));
        throw mapFsError(error, full, this.directory, `write spill file ${full}`);
      }
    }
  }

  /** fsyncs the folder holding `full`, and the parent of every folder from `created` down to it. */
  private syncEntries(full: string, created: string | undefined): void {
    let folder = dirname(full);
    this.syncPath(folder);
    if (created === undefined) return;
    for (; folder.length >= created.length && folder !== this.directory; folder = dirname(folder))
      this.syncPath(dirname(folder));
  }

  /** fsync of a file or folder (a folder opened read-only, as fsync on Linux needs only a descriptor). */
  private syncPath(path: string): void {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
