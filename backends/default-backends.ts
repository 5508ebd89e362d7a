/**
 * The named sets of backends `--backends` accepts. Kept apart from the
 * registry, which loads every backend's client library, so the command
 * line's help can name them without loading any backend.
 */

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
export const ORIGINALS_BACKENDS: readonly string[] = [
  'sqlite',
  'py-diskcache',
  'filebased',
  'py-django-filebased',
  'redis',
  'py-redis',
];

/** `--backends` names that stand for a set; like the default set, their members may be unavailable here without failing a run. */
export function isBackendPreset(text: string): boolean {
  return text === 'all' || text === 'originals';
}
