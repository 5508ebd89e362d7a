import type { BackendOptions, OptionDoc, ProvisionContext, Provisioned } from '../backend.js';
import { BackendUnavailableError } from '../backend.js';
import { BackendSpecError } from '../spec.js';
import { integerOption, rejectUnknownOptions } from '../options.js';
import { findRedisServer, startRedisServer } from '../servers/redis-server.js';
import type { RedisSpec } from '../redis.js';
import { createRedisClient, redactUrl } from './redis-client.js';
import { findListenerPid, isLoopbackHost } from '../servers/find-listener.js';
import { firstLine } from '../../shared/first-line.js';

export const REDIS_OPTIONS: Record<string, OptionDoc> = {
  url: {
    description: 'server to use instead of $REDIS_URL or a private redis-server',
    default: '$REDIS_URL, else a private server',
  },
  prefix: {
    description: "prefix of every key, so clear() on a shared server removes only this run's keys",
    default: 'cachebench:',
  },
  command_timeout: { description: 'milliseconds before a command counts as a timeout', default: '2000' },
  connect_timeout: { description: 'milliseconds to wait for a connection', default: '2000' },
  server_pid: {
    description: "pid of an external server on this machine, so its CPU counts as the run's own, not host noise",
    default: 'found from the listening port for a loopback url, else none',
  },
};

const HOW_TO_ENABLE =
  'run `docker compose up -d redis` and set REDIS_URL=redis://127.0.0.1:6379, or `apt-get install redis-server`';

/**
 * The options every redis run uses, naming a bad one; no network (also the factory's validate).
 * `backend` names the backend in errors: `redis` and `py-redis` share these options.
 */
export function parseRedisOptions(
  options: BackendOptions,
  backend = 'redis',
): { prefix: string; commandTimeoutMs: number; connectTimeoutMs: number; serverPid: number | undefined } {
  rejectUnknownOptions(backend, options, REDIS_OPTIONS);
  const given = givenRedisUrl(options);
  if (given && !isRedisUrl(given.url)) {
    throw new BackendSpecError(
      `${backend}: ${given.setting}=${given.url} is not a Redis URL; give redis://host:port (or rediss://), e.g. ${given.setting}=redis://127.0.0.1:6379`,
    );
  }
  return {
    serverPid:
      options.server_pid === undefined ? undefined : integerOption(backend, 'server_pid', options.server_pid, 0),
    prefix: options.prefix ?? 'cachebench:',
    commandTimeoutMs: integerOption(backend, 'command_timeout', options.command_timeout, 2_000),
    connectTimeoutMs: integerOption(backend, 'connect_timeout', options.connect_timeout, 2_000),
  };
}

/**
 * Finds a Redis for the run, in order: the `url` option, $REDIS_URL, or a
 * private redis-server started here (stopped by pid at teardown, and killed
 * if this process exits or is interrupted first). With none of them the
 * backend is unavailable and a multi-backend run goes on without it.
 */
export async function provisionRedis(
  options: BackendOptions,
  context: ProvisionContext,
  backend = 'redis',
): Promise<Provisioned> {
  const { serverPid: givenPid, ...base } = parseRedisOptions(options, backend);

  const given = givenRedisUrl(options);
  if (given) {
    const { url } = given;
    await checkAnswers(given, base.connectTimeoutMs, backend);
    const pid = givenPid ?? localServerPid(url);
    const spec: RedisSpec = { ...base, url, private: false, serverPid: pid ?? null };
    const untracked =
      pid === undefined
        ? `redis at ${redactUrl(url)} (pid unknown; pass redis:server_pid=N if it runs on this machine)`
        : undefined;
    return {
      spec: { ...spec },
      ...(pid === undefined ? { untrackedServer: untracked } : { serverPid: pid }),
      teardown: async () => {},
    };
  }

  if (!findRedisServer()) {
    throw new BackendUnavailableError(`redis: REDIS_URL is not set and redis-server is not on PATH; ${HOW_TO_ENABLE}`);
  }
  let server;
  try {
    server = await startRedisServer({ directory: context.directory });
  } catch (error) {
    throw new BackendUnavailableError(
      `redis: could not start a private redis-server (${firstLine((error as Error).message)})`,
    );
  }
  const spec: RedisSpec = { ...base, url: server.url, private: true, serverPid: server.pid };
  return { spec: { ...spec }, serverPid: server.pid, teardown: () => server.stop() };
}

/** The pid listening on a loopback URL's port, when /proc can tell. */
function localServerPid(url: string): number | undefined {
  try {
    const parsed = new URL(url);
    if (!isLoopbackHost(parsed.hostname)) return undefined;
    return findListenerPid(Number(parsed.port || 6379), '/proc', /redis|valkey|keydb/i);
  } catch {
    return undefined;
  }
}

/** The server the user pointed at, and how they named it (the `url` option, else $REDIS_URL); undefined for a private server. */
function givenRedisUrl(options: BackendOptions): { url: string; setting: string } | undefined {
  if (options.url) return { url: options.url, setting: 'url' };
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, setting: 'REDIS_URL' };
  return undefined;
}

function isRedisUrl(text: string): boolean {
  try {
    const parsed = new URL(text);
    return (parsed.protocol === 'redis:' || parsed.protocol === 'rediss:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

async function checkAnswers(
  given: { url: string; setting: string },
  connectTimeoutMs: number,
  backend: string,
): Promise<void> {
  const client = createRedisClient({ url: given.url, connectTimeoutMs, commandTimeoutMs: connectTimeoutMs });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    // The user named this server: say what they set, not how to set it.
    const instead =
      given.setting === 'REDIS_URL'
        ? 'unset REDIS_URL for a private redis-server'
        : `leave out ${backend}:url for a private redis-server`;
    throw new BackendUnavailableError(
      `${backend}: ${given.setting}=${redactUrl(given.url)} does not answer (${firstLine((error as Error).message)}); start that server, or ${instead}`,
    );
  } finally {
    client.disconnect();
  }
}
