import { join } from 'node:path';
import { FANOUT_DEFAULTS, FanoutCache, SETTINGS, type FanoutOptions } from '../engine/index.js';
import type { BackendFactory, BackendOptions, BackendSpec } from './backend.js';
import { BackendTimeoutError } from './backend.js';
import { EngineBackend } from './engine-backend.js';
import { engineOptionDocs, parseEngineOptions } from './engine-options.js';
import { integerOption } from './options.js';
import { BackendSpecError } from './spec.js';

/**
 * The engine's FanoutCache: N Cache shards, keys placed by a stable hash, and
 * a short lock timeout that turns waits into counted misses. Options are
 * `shards` plus every engine setting (`fanout:shards=8,timeout=10ms,mmap_size=0`).
 *
 * FanoutCache absorbs a timeout (set → false, get → default) as diskcache
 * does; this backend reads its running `timeouts` counter around each call
 * and, when it moved, throws BackendTimeoutError so the harness counts a
 * timeout instead of a plain miss.
 */

const DIRECTORY = 'fanout';
const NAME = 'fanout';

export class FanoutBackend extends EngineBackend<FanoutCache> {
  readonly name = NAME;

  /** `options` are FanoutCache options, already validated by the factory. */
  constructor(
    directory: string,
    private readonly options: FanoutOptions,
    label = NAME,
  ) {
    super(directory, label);
  }

  protected openCache(): FanoutCache {
    return new FanoutCache(this.directory, this.options);
  }

  /** FanoutCache absorbs a timeout; a move of its timeout counter during the call becomes BackendTimeoutError. */
  protected run<T>(call: (cache: FanoutCache) => T): T {
    const cache = this.cache;
    if (!cache) throw new Error('fanout: call open() before using the backend');
    const before = cache.timeouts;
    const result = call(cache);
    if (cache.timeouts !== before) {
      throw new BackendTimeoutError(
        `fanout: a shard stayed locked for more than ${cache.timeout} s (the timeout option)`,
      );
    }
    return result;
  }

  protected override extraSettings(cache: FanoutCache): Record<string, number> {
    return { shards: cache.shardCount };
  }
}

/** `shards=8,timeout=10ms,…` → FanoutCache options; names a bad one. */
export function parseFanoutOptions(options: BackendOptions): FanoutOptions {
  const { shards, ...settings } = options;
  const count = integerOption(NAME, 'shards', shards, FANOUT_DEFAULTS.shards);
  if (count < 1 || count > 999) throw new BackendSpecError(`backend ${NAME}: option shards="${shards}" must be 1..999`);
  return { ...parseEngineOptions(NAME, settings), shards: count };
}

export const fanoutFactory: BackendFactory = {
  name: NAME,
  summary: "The engine's FanoutCache: N Cache shards by a stable key hash, short lock timeouts counted as timeouts.",
  options: {
    shards: {
      description: 'number of Cache shards (subfolders); fixed when the directory is created',
      default: String(FANOUT_DEFAULTS.shards),
    },
    ...engineOptionDocs({
      timeout: {
        description: `${SETTINGS.timeout.description}; here a shorter wait, after which the operation is given up and counted as a timeout (seconds; also spelled busy_timeout)`,
        default: String(FANOUT_DEFAULTS.timeout),
      },
      size_limit: {
        description: `${SETTINGS.sizeLimit.description}; the total, split evenly across shards (bytes)`,
        default: String(SETTINGS.sizeLimit.default),
      },
      lock_wait: {
        description: `${SETTINGS.lockWait.description}; FanoutCache polls by default`,
        default: FANOUT_DEFAULTS.lockWait,
      },
    }),
  },
  validate(options) {
    parseFanoutOptions(options);
  },
  async provision(options, context) {
    const fanoutOptions = parseFanoutOptions(options);
    const directory = join(context.directory, DIRECTORY);
    // Create the layout and every shard's cache.db once here, so workers never race to create them.
    new FanoutCache(directory, fanoutOptions).close();
    return {
      spec: { directory, ...(fanoutOptions as Record<string, string | number | boolean>) },
      storagePath: directory,
      teardown: async () => {},
    };
  },
  create(spec: BackendSpec, label) {
    const { directory, ...options } = spec;
    return new FanoutBackend(String(directory), options as FanoutOptions, label);
  },
};
