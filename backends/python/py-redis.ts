import { defineForeignBackend, type ForeignBackendFactory } from '../foreign/foreign-factory.js';
import { parseRedisOptions, provisionRedis, REDIS_OPTIONS } from '../redis/provision-redis.js';
import { findPython, pythonCommand, pythonWorkerScript } from './python-worker.js';

/**
 * redis-py (Debian python3-redis) in a Python worker, against the same Redis
 * the `redis` backend uses: $REDIS_URL, the url option, or a private
 * redis-server. Values are encoded as `redis` encodes them (text as UTF-8,
 * bytes behind a 0xFF byte), so the two read each other's entries.
 */
export const pyRedisFactory: ForeignBackendFactory = defineForeignBackend({
  name: 'py-redis',
  summary:
    'Redis through redis-py (Debian python3-redis), timed inside a Python worker process; the server as for `redis`.',
  options: REDIS_OPTIONS,
  validate: (options) => void parseRedisOptions(options, 'py-redis'),
  async provision(options, context) {
    // The interpreter first: without redis-py, no server is started for nothing.
    const python = findPython('py-redis', 'redis', 'python3-redis');
    const provisioned = await provisionRedis(options, context, 'py-redis');
    return { ...provisioned, spec: { ...provisioned.spec, store: 'redis', python, script: pythonWorkerScript() } };
  },
  worker: {
    command: pythonCommand,
    capabilities: ['expire', 'incr', 'pop', 'add', 'getMany', 'setMany', 'deleteMany'],
  },
});
