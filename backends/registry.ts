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
import { BackendSpecError } from './spec.js';
import { sqliteRawFactory } from './sqlite-raw.js';
import { sqliteFactory } from './sqlite.js';

/**
 * Every backend by name. The harness and CLI look factories up here and never
 * ask which backend they hold. Add a backend by adding one line.
 */
export const BACKENDS: ReadonlyMap<string, BackendFactory> = new Map<string, BackendFactory>(
  [
    sqliteFactory, fanoutFactory, filebasedFactory, redisFactory, sqliteRawFactory, memoryFactory, lmdbFactory, leveldbFactory, rocksdbFactory, memcachedFactory, redisClusterFactory,
    // The Python originals, each run by a Python worker process (backends/foreign/, harness/foreign/).
    pyDiskcacheFactory, pyFanoutFactory, pyDjangoFilebasedFactory, pyRedisFactory, pyDictFactory,
    // Berkeley DB, which has no maintained Node binding, through the same worker.
    pyBerkeleydbFactory,
  ].map((factory) => [factory.name, factory]),
);

/**
 * The backends the default run uses (no --backends), in display order: the
 * talk's three designs, then the floors. `--backends all` runs every
 * registered backend instead, the alternative databases (lmdb, leveldb,
 * rocksdb, memcached, redis-cluster) too; they are left out here so a default run stays short. A
 * backend that is unavailable here (no Redis) is reported as such and the
 * run goes on.
 */
export const DEFAULT_BACKENDS: readonly string[] = ['sqlite', 'fanout', 'filebased', 'redis', 'sqlite-raw', 'memory'];

/**
 * `--backends originals`: the talk's three designs twice, the original Python
 * cache beside ours — python-diskcache and our engine, Django's FileBasedCache
 * and our naive file-per-key store, redis-py and ioredis against one Redis —
 * so one run and one report answer "does ours behave like the original?".
 */
export const ORIGINALS_BACKENDS: readonly string[] = ['sqlite', 'py-diskcache', 'filebased', 'py-django-filebased', 'redis', 'py-redis'];

/** `--backends` names that stand for a set; like the default set, their members may be unavailable here without failing a run. */
export function isBackendPreset(text: string): boolean {
  return text === 'all' || text === 'originals';
}

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
