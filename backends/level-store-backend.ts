import type { Capability, Value } from './backend.js';
import { decodeTagged, encodeTagged } from './tagged-value.js';

/** What `leveldb` (classic-level) and `rocksdb` (@nxtedition/rocksdb) have in common: the abstract-level API. */
export interface LevelStore {
  getMany(keys: string[]): Promise<(Uint8Array | undefined)[]>;
  batch(
    operations: ({ type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string })[],
    options: { sync: boolean },
  ): Promise<void>;
  clear(): Promise<void>;
  close(): Promise<void>;
}

/** Their native capabilities: a multi-get and atomic write batches; no expiry and no read-modify-write. */
export const LEVEL_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['getMany', 'setMany', 'deleteMany']);

/**
 * The part of an LSM-tree backend that is the same for LevelDB and RocksDB: the open handle, closing it,
 * refusing expiring writes, clear, and the batch calls (values stored as tagged-value.ts says, every write with
 * the backend's sync setting). Each subclass opens its store and says how a single get, set and delete go.
 */
export abstract class LevelStoreBackend<Db extends LevelStore> {
  readonly callStyle = 'async';
  readonly capabilities = LEVEL_CAPABILITIES;
  abstract readonly name: string;
  protected handle: Db | undefined;
  protected readonly writeOptions: { sync: boolean };

  constructor(sync: boolean) {
    this.writeOptions = { sync };
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }

  async clear(): Promise<void> {
    await this.db().clear();
  }

  async getMany(keys: readonly string[]): Promise<(Value | undefined)[]> {
    const values = await this.db().getMany([...keys]);
    return values.map((value) => decodeTagged(value, this.name));
  }

  async setMany(entries: readonly (readonly [string, Value])[]): Promise<number> {
    await this.db().batch(
      entries.map(([key, value]) => ({ type: 'put' as const, key, value: encodeTagged(value) })),
      this.writeOptions,
    );
    return entries.length;
  }

  /** Throws for an expiring write: neither store keeps an expiry. */
  protected refuseExpire(expireSeconds: number | undefined, store: string): void {
    if (expireSeconds !== undefined)
      throw new RangeError(
        `${this.name}: no expire capability; ${store} keeps no expiry here, so an expiring write is refused`,
      );
  }

  protected db(): Db {
    if (!this.handle) throw new Error(`${this.name}: call open() before using the backend`);
    return this.handle;
  }
}
