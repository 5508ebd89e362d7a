import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What RocksDB itself wrote down about the settings the binding leaves at their defaults. */
export interface RocksdbFixedSettings {
  /** `compression=` of the default column family, e.g. `kNoCompression`. */
  compression: string;
  /** The block cache's capacity in bytes, or 0 with the block cache off. */
  blockCacheBytes: number;
  /** `manual_wal_flush=false`: each write batch reaches the log file with write(2) before it returns. */
  manualWalFlush: boolean;
}

/**
 * Reads the newest OPTIONS-* file and the LOG of an open database. rocksdb-native
 * exposes neither compression nor the cache's size, so the description reports
 * what RocksDB recorded rather than what we assume.
 */
export function readFixedSettings(location: string): RocksdbFixedSettings {
  const names = readdirSync(location).filter((name) => /^OPTIONS-\d+$/.test(name)).sort();
  const newest = names.at(-1);
  const options = newest ? readFileSync(join(location, newest), 'utf8') : '';
  const log = readFileSync(join(location, 'LOG'), 'utf8');
  const noBlockCache = /^\s*no_block_cache=true$/m.test(options);
  const capacity = /block_cache_options:\s*\n\s*capacity : (\d+)/.exec(log)?.[1];
  return {
    compression: /^\s*compression=(\w+)$/m.exec(options)?.[1] ?? 'unknown',
    blockCacheBytes: noBlockCache ? 0 : Number(capacity ?? Number.NaN),
    manualWalFlush: /^\s*manual_wal_flush=true$/m.test(options),
  };
}
