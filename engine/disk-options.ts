import type { SqlValue } from './key-value.js';

export interface DiskOptions {
  /** Values of at least this many bytes go to spill files. */
  minFileSize: number;
  fileMode: number;
  dirMode: number;
  /** zlib level (1-9) for text, JSON and byte values; 0 or absent stores them uncompressed (compress.ts). */
  compressLevel?: number;
  /**
   * fsync each new spill file and the folder entries that name it before the
   * row pointing at it commits, so a spilled value is as durable as its row.
   * The cache sets it from `sqliteSynchronous` (false only for `off`).
   * @default true
   */
  syncFiles?: boolean;
}

/** Result of `Disk.store`; `filename` is relative to the cache directory. */
export interface StoredValue {
  mode: number;
  value: SqlValue;
  filename: string | null;
  /** Bytes held in the spill file (0 when the value lives in the row). */
  size: number;
}
