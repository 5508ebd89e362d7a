// The part of @nxtedition/rocksdb (12.2, which ships no types) that backends/rocksdb.ts uses.
declare module '@nxtedition/rocksdb' {
  /** Open options the binding reads (binding.cc `db_open` / `InitOptions`). */
  interface RocksOpenOptions {
    createIfMissing?: boolean;
    /** Bytes of RocksDB's block cache (a HyperClockCache); 0 opens table files with no block cache. @default 8 MiB */
    cacheSize?: number;
    /** true: ZSTD-compressed table blocks (with a 16 KiB dictionary); false: kNoCompression. @default true */
    compression?: boolean;
    /** true: ZSTD-compressed write-ahead-log records; false: plain records. @default true */
    walCompression?: boolean;
    /** RocksDB's info LOG level; unset, the binding discards the LOG. */
    infoLogLevel?: 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'header';
  }
  type BatchOperation = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };
  class RocksLevel {
    constructor(location: string, options?: { valueEncoding?: 'buffer' });
    readonly status: 'opening' | 'open' | 'closing' | 'closed';
    open(options?: RocksOpenOptions): Promise<void>;
    close(): Promise<void>;
    /** Missing keys come back as undefined (a single `get` rejects with LEVEL_NOT_FOUND instead). */
    getMany(keys: string[]): Promise<(Buffer | undefined)[]>;
    /**
     * One atomic RocksDB write batch, written on the calling thread. `sync: true` is RocksDB's
     * WriteOptions.sync: the log is fdatasync'ed before the write returns. (The binding's own
     * put and del drop their options, `sync` included, so they are not declared here.)
     */
    batch(operations: BatchOperation[], options?: { sync?: boolean }): Promise<void>;
    clear(): Promise<void>;
    /** A RocksDB property of the open database, e.g. `rocksdb.dbstats`, read synchronously. */
    getProperty(name: string): string;
  }
}
