import { join } from 'node:path';
import { Cache, CacheTimeoutError, type CacheOptions } from '../engine/index.js';
import type { BackendFactory, BackendOptions, BackendSpec } from './backend.js';
import { BackendTimeoutError } from './backend.js';
import { EngineBackend } from './engine-backend.js';
import { engineOptionDocs, parseEngineOptions } from './engine-options.js';

/**
 * The engine's `Cache` (python-diskcache semantics): the design under test.
 * Options are the engine's settings in any spelling it accepts —
 * `sqlite:mmap_size=0,eviction_policy=none,size_limit=1GiB` — parsed by the
 * engine's own `parseSetting`, so the CLI and the engine never disagree.
 */

const DIRECTORY = 'sqlite';

export class SqliteBackend extends EngineBackend<Cache> {
  readonly name = 'sqlite';

  /** `options` are camelCase engine options, already validated by the factory. */
  constructor(
    directory: string,
    private readonly options: CacheOptions,
    label = 'sqlite',
  ) {
    super(directory, label);
  }

  protected openCache(): Cache {
    return new Cache(this.directory, this.options);
  }

  /** The engine's lock timeout (CacheTimeoutError) becomes the harness's counted timeout. */
  protected run<T>(call: (cache: Cache) => T): T {
    if (!this.cache) throw new Error('sqlite: call open() before using the backend');
    try {
      return call(this.cache);
    } catch (error) {
      throw error instanceof CacheTimeoutError ? new BackendTimeoutError(`sqlite: ${error.message}`) : error;
    }
  }
}

/** Turns `mmap_size=0,eviction_policy=none` into engine options, naming a bad one. */
export function parseSqliteOptions(options: BackendOptions): CacheOptions {
  return parseEngineOptions('sqlite', options);
}

export const sqliteFactory: BackendFactory = {
  name: 'sqlite',
  summary: "The engine's Cache (python-diskcache semantics on better-sqlite3): the design under test.",
  options: engineOptionDocs(),
  validate(options) {
    parseSqliteOptions(options);
  },
  async provision(options, context) {
    const engineOptions = parseSqliteOptions(options);
    const directory = join(context.directory, DIRECTORY);
    // Create cache.db once here, so workers opening together never race to create the schema.
    new Cache(directory, engineOptions).close();
    return {
      spec: { directory, ...(engineOptions as Record<string, string | number | boolean>) },
      storagePath: directory,
      teardown: async () => {},
    };
  },
  create(spec: BackendSpec, label) {
    const { directory, ...options } = spec;
    return new SqliteBackend(String(directory), options as CacheOptions, label);
  },
};
