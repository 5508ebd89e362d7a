import type { BackendOptions, OptionDoc, ProvisionContext, Provisioned } from '../backend.js';
import { BackendUnavailableError } from '../backend.js';
import { integerOption, rejectUnknownOptions } from '../options.js';
import { findRedisServer, startRedisServer } from '../servers/redis-server.js';
import type { RedisSpec } from '../redis.js';
import { createRedisClient, redactUrl } from './redis-client.js';

export const REDIS_OPTIONS: Record<string, OptionDoc> = {
  url: { description: 'server to use instead of $REDIS_URL or a private redis-server', default: '$REDIS_URL, else a private server' },
  prefix: { description: 'prefix of every key, so clear() on a shared server removes only this run\'s keys', default: 'cachebench:' },
  command_timeout: { description: 'milliseconds before a command counts as a timeout', default: '2000' },
  connect_timeout: { description: 'milliseconds to wait for a connection', default: '2000' },
};

const HOW_TO_ENABLE = 'run `docker compose up -d redis` and set REDIS_URL=redis://127.0.0.1:6379, or `apt-get install redis-server`';

/** The options every redis run uses, naming a bad one; no network (also the factory's validate). */
export function parseRedisOptions(options: BackendOptions): { prefix: string; commandTimeoutMs: number; connectTimeoutMs: number } {
  rejectUnknownOptions('redis', options, REDIS_OPTIONS);
  return {
    prefix: options.prefix ?? 'cachebench:',
    commandTimeoutMs: integerOption('redis', 'command_timeout', options.command_timeout, 2_000),
    connectTimeoutMs: integerOption('redis', 'connect_timeout', options.connect_timeout, 2_000),
  };
}

/**
 * Finds a Redis for the run, in order: the `url` option, $REDIS_URL, or a
 * private redis-server started here (stopped by pid at teardown, and killed
 * if this process exits or is interrupted first). With none of them the
 * backend is unavailable and a multi-backend run goes on without it.
 */
export async function provisionRedis(options: BackendOptions, context: ProvisionContext): Promise<Provisioned> {
  const base = parseRedisOptions(options);

  const url = options.url ?? process.env.REDIS_URL;
  if (url) {
    await checkAnswers(url, base.connectTimeoutMs);
    const spec: RedisSpec = { ...base, url, private: false, serverPid: null };
    return { spec: { ...spec }, teardown: async () => {} };
  }

  if (!findRedisServer()) {
    throw new BackendUnavailableError(`redis: REDIS_URL is not set and redis-server is not on PATH; ${HOW_TO_ENABLE}`);
  }
  let server;
  try {
    server = await startRedisServer({ directory: context.directory });
  } catch (error) {
    throw new BackendUnavailableError(`redis: could not start a private redis-server (${(error as Error).message.split('\n')[0]})`);
  }
  const spec: RedisSpec = { ...base, url: server.url, private: true, serverPid: server.pid };
  return { spec: { ...spec }, teardown: () => server.stop() };
}

async function checkAnswers(url: string, connectTimeoutMs: number): Promise<void> {
  const client = createRedisClient({ url, connectTimeoutMs, commandTimeoutMs: connectTimeoutMs });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new BackendUnavailableError(`redis: ${redactUrl(url)} does not answer (${(error as Error).message}); ${HOW_TO_ENABLE}`);
  } finally {
    client.disconnect();
  }
}
