import type { BackendFactory } from './backend.js';
import { fanoutFactory } from './fanout.js';
import { filebasedFactory } from './filebased.js';
import { leveldbFactory } from './leveldb.js';
import { lmdbFactory } from './lmdb.js';
import { memcachedFactory } from './memcached.js';
import { memoryFactory } from './memory.js';
import { redisFactory } from './redis.js';
import { redisClusterFactory } from './redis-cluster.js';
import { rocksdbFactory } from './rocksdb.js';
import { pyBerkeleydbFactory } from './python/py-berkeleydb.js';
import { pyDictFactory } from './python/py-dict.js';
import { pyDiskcacheFactory } from './python/py-diskcache.js';
import { pyDjangoFilebasedFactory } from './python/py-django-filebased.js';
import { pyFanoutFactory } from './python/py-fanout.js';
import { pyRedisFactory } from './python/py-redis.js';
import { ORIGINALS_BACKENDS } from './default-backends.js';
import { BackendSpecError } from './spec.js';
import { sqliteRawFactory } from './sqlite-raw.js';
import { sqliteFactory } from './sqlite.js';

export { DEFAULT_BACKENDS, ORIGINALS_BACKENDS, isBackendPreset } from './default-backends.js';

/**
 * Every backend by name. The harness and CLI look factories up here and never
 * ask which backend they hold. Add a backend by adding one line.
 */
export const BACKENDS: ReadonlyMap<string, BackendFactory> = new Map<string, BackendFactory>(
  [
    sqliteFactory,
    fanoutFactory,
    filebasedFactory,
    redisFactory,
    sqliteRawFactory,
    memoryFactory,
    lmdbFactory,
    leveldbFactory,
    rocksdbFactory,
    memcachedFactory,
    redisClusterFactory,
    // The Python originals, each run by a Python worker process (backends/foreign/, harness/foreign/).
    pyDiskcacheFactory,
    pyFanoutFactory,
    pyDjangoFilebasedFactory,
    pyRedisFactory,
    pyDictFactory,
    // Berkeley DB, which has no maintained Node binding, through the same worker.
    pyBerkeleydbFactory,
  ].map((factory) => [factory.name, factory]),
);

/** What `--backends` text names: a preset (`all`, `originals`) or the list itself. */
export function expandBackendPreset(text: string): string {
  if (text === 'all') return [...BACKENDS.keys()].join(',');
  if (text === 'originals') return ORIGINALS_BACKENDS.join(',');
  return text;
}

export function getBackendFactory(name: string): BackendFactory {
  const factory = BACKENDS.get(name);
  if (!factory) {
    throw new BackendSpecError(`unknown backend "${name}"; known backends: ${[...BACKENDS.keys()].join(', ')}`);
  }
  return factory;
}
