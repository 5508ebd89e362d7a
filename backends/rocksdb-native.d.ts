// The part of rocksdb-native (3.18, which ships no types) that backends/rocksdb.ts uses.
declare module 'rocksdb-native' {
  interface ReadBatch {
    get(key: string | Uint8Array): Promise<Buffer | null>;
    flush(): Promise<void>;
    tryFlush(): void;
  }
  interface WriteBatch {
    put(key: string | Uint8Array, value: Uint8Array): Promise<void>;
    delete(key: string | Uint8Array): Promise<void>;
    deleteRange(start: string | Uint8Array, end: string | Uint8Array): Promise<void>;
    flush(): Promise<void>;
  }
  interface RocksDBOptions {
    readOnly?: boolean;
    createIfMissing?: boolean;
    /** false opens table files with no block cache. @default true (RocksDB's 32 MiB LRU cache) */
    blockCache?: boolean;
    /** Keep index and filter blocks in the block cache (needs blockCache). @default true */
    tableCacheIndexAndFilterBlocks?: boolean;
    /** Memtable bytes before a flush to a table file. @default 64 MiB */
    writeBufferSize?: number;
  }
  class RocksDB {
    constructor(path: string, options?: RocksDBOptions);
    readonly path: string;
    ready(): Promise<void>;
    close(): Promise<void>;
    get(key: string | Uint8Array): Promise<Buffer | null>;
    put(key: string | Uint8Array, value: Uint8Array): Promise<void>;
    delete(key: string | Uint8Array): Promise<void>;
    /** autoDestroy releases the batch after its flush; a batch never released keeps close() waiting. */
    read(options?: { capacity?: number; autoDestroy?: boolean }): ReadBatch;
    write(options?: { capacity?: number; autoDestroy?: boolean }): WriteBatch;
  }
  export default RocksDB;
}
