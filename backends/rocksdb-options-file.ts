import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What RocksDB itself wrote down about the settings that decide its latency. */
export interface RocksdbRecordedSettings {
  /** `compression=` of the default column family, e.g. `kNoCompression` or `kZSTD`. */
  compression: string;
  /** `wal_compression=` of the database, e.g. `kNoCompression` or `kZSTD`. */
  walCompression: string;
  /** The block cache's capacity in bytes, or 0 with the block cache off. */
  blockCacheBytes: number;
  /** `manual_wal_flush=false`: each write batch reaches the log file with write(2) before it returns. */
  manualWalFlush: boolean;
}

/**
 * Reads the newest OPTIONS-* file and the info LOG of an open database, so the
 * description reports what RocksDB applied rather than what we asked for. The
 * block cache's capacity is only in the LOG's options dump (the OPTIONS file
 * records `no_block_cache`, not the cache object), so the database must be
 * opened with an info LOG.
 */
export function readRecordedSettings(location: string): RocksdbRecordedSettings {
  const names = readdirSync(location)
    .filter((name) => /^OPTIONS-\d+$/.test(name))
    .sort();
  const newest = names.at(-1);
  const options = newest ? readFileSync(join(location, newest), 'utf8') : '';
  const log = readFileSync(join(location, 'LOG'), 'utf8');
  const noBlockCache = /^\s*no_block_cache=true$/m.test(options);
  const capacity = /block_cache_options:\s*\n\s*capacity : (\d+)/.exec(log)?.[1];
  return {
    compression: /^\s*compression=(\w+)$/m.exec(options)?.[1] ?? 'unknown',
    walCompression: /^\s*wal_compression=(\w+)$/m.exec(options)?.[1] ?? 'unknown',
    blockCacheBytes: noBlockCache ? 0 : Number(capacity ?? Number.NaN),
    manualWalFlush: /^\s*manual_wal_flush=true$/m.test(options),
  };
}
