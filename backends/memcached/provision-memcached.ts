import type { BackendOptions, OptionDoc, ProvisionContext, Provisioned } from '../backend.js';
import { BackendUnavailableError } from '../backend.js';
import { BackendSpecError } from '../spec.js';
import { choiceOption, integerOption, rejectUnknownOptions, sizeOption } from '../options.js';
import { findListenerPid, isLoopbackHost } from '../servers/find-listener.js';
import { findMemcached, memcachedVersion, startMemcached, type MemcachedServer } from '../servers/memcached-server.js';
import type { MemcachedSpec } from '../memcached.js';
import { firstLine } from '../../shared/first-line.js';

export const MEMCACHED_OPTIONS: Record<string, OptionDoc> = {
  servers: {
    description:
      'a number N: start N private memcached servers; or host:port of servers (separated by +, ; or spaces; commas in $MEMCACHED_SERVERS) to use instead of $MEMCACHED_SERVERS / $MEMCACHED_URL or private ones',
    default: '$MEMCACHED_SERVERS, else $MEMCACHED_URL, else 1 private server',
  },
  prefix: {
    description: "prefix of every key, so runs on a shared server do not read each other's entries",
    default: 'cachebench:',
  },
  command_timeout: { description: 'milliseconds before a request counts as a timeout', default: '2000' },
  connect_timeout: { description: 'milliseconds to wait for a connection', default: '2000' },
  memory: { description: 'private servers only: cache memory of each in MiB (memcached -m)', default: '64' },
  item_size_max: { description: 'private server only: largest item (memcached -I); units allowed', default: '4MiB' },
  allow_flush: {
    description: 'yes: clear() may flush_all a shared server (memcached cannot delete by prefix)',
    default: 'no',
  },
  server_pid: {
    description: "pid of an external server on this machine, so its CPU counts as the run's own, not host noise",
    default: 'found from the listening port for one loopback server, else none',
  },
};

const HOW_TO_ENABLE =
  'run `docker compose up -d memcached` and set MEMCACHED_SERVERS=127.0.0.1:11211, or `apt-get install memcached`';

/** The options, naming a bad one; no network (also the factory's validate). */
export function parseMemcachedOptions(options: BackendOptions) {
  const b = 'memcached';
  rejectUnknownOptions(b, options, MEMCACHED_OPTIONS);
  // `servers=3` asks for private servers; any other text lists given ones.
  const privateCount =
    options.servers !== undefined && /^\d+$/.test(options.servers)
      ? integerOption(b, 'servers', options.servers, 1)
      : undefined;
  if (privateCount === 0) throw new BackendSpecError(`backend ${b}: option servers="0" must start at least 1 server`);
  const given = privateCount === undefined ? givenServers(options) : undefined;
  if (given && !validServerList(given.text)) {
    throw new BackendSpecError(
      `${b}: ${given.setting}=${given.text} is not a server list; give host:port[,host:port...], e.g. ${given.setting}=127.0.0.1:11211`,
    );
  }
  const base = {
    prefix: options.prefix ?? 'cachebench:',
    commandTimeoutMs: integerOption(b, 'command_timeout', options.command_timeout, 2_000),
    connectTimeoutMs: integerOption(b, 'connect_timeout', options.connect_timeout, 2_000),
    allowFlush: choiceOption(b, 'allow_flush', options.allow_flush, ['yes', 'no'] as const, 'no') === 'yes',
  };
  const serverPid =
    options.server_pid === undefined ? undefined : integerOption(b, 'server_pid', options.server_pid, 0);
  return {
    given,
    base,
    serverPid,
    privateCount,
    memoryMiB: integerOption(b, 'memory', options.memory, 64),
    itemSizeMax: sizeOption(b, 'item_size_max', options.item_size_max, 4 * 2 ** 20),
  };
}

/**
 * Finds memcached servers for the run, in order: `servers=N` (N private
 * servers), the `servers` list, $MEMCACHED_SERVERS, $MEMCACHED_URL
 * (`memcached://host:port`), or one private memcached. Private servers are
 * started here, each on its own free loopback port, stopped by pid at
 * teardown and killed if this process exits first. With none of them the
 * backend is unavailable. Keys spread over several servers by memjs's hashing
 * (memcached-client.ts).
 */
export async function provisionMemcached(options: BackendOptions, context: ProvisionContext): Promise<Provisioned> {
  const { given, base, serverPid: givenPid, privateCount, memoryMiB, itemSizeMax } = parseMemcachedOptions(options);

  if (given) {
    const servers = normaliseServers(given.text);
    await checkAnswers(servers, base.connectTimeoutMs, given.setting);
    const pid = givenPid ?? localServerPid(servers);
    const spec: MemcachedSpec = { ...base, servers, private: false, serverPid: pid ?? null };
    const untracked = `memcached at ${servers} (pid unknown; pass memcached:server_pid=N if it runs on this machine)`;
    return {
      spec: { ...spec },
      ...(pid === undefined ? { untrackedServer: untracked } : { serverPid: pid }),
      teardown: async () => {},
    };
  }

  if (!findMemcached()) {
    throw new BackendUnavailableError(
      `memcached: MEMCACHED_SERVERS/MEMCACHED_URL are not set and memcached is not on PATH; ${HOW_TO_ENABLE}`,
    );
  }
  const servers: MemcachedServer[] = [];
  const stopAll = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    for (let i = 0; i < (privateCount ?? 1); i++)
      servers.push(await startMemcached({ directory: context.directory, memoryMiB, itemSizeMax }));
  } catch (error) {
    await stopAll();
    throw new BackendUnavailableError(
      `memcached: could not start a private memcached (${firstLine((error as Error).message)})`,
    );
  }
  const [first, ...others] = servers.map((server) => server.pid);
  const spec: MemcachedSpec = {
    ...base,
    servers: servers.map((server) => server.servers).join(','),
    private: true,
    serverPid: first!,
  };
  return {
    spec: { ...spec },
    serverPid: first!,
    ...(others.length > 0 ? { serverPids: others } : {}),
    teardown: stopAll,
  };
}

/** The pid listening on the port of a single loopback server, when /proc can tell. */
function localServerPid(servers: string): number | undefined {
  if (servers.includes(',')) return undefined;
  const colon = servers.lastIndexOf(':');
  const host = servers.slice(0, colon);
  return isLoopbackHost(host) ? findListenerPid(Number(servers.slice(colon + 1)), '/proc', /memcache/i) : undefined;
}

/** `memcached://a:1, b:2`, `a:1,b` or `a:1+b` → `a:1,b:11211`. */
export function normaliseServers(text: string): string {
  const list = text
    .split(/[,;+\s]+/)
    .map((s) =>
      s
        .trim()
        .replace(/^memcached:\/\//, '')
        .replace(/\/$/, ''),
    )
    .filter((s) => s !== '');
  if (list.length === 0) throw new BackendUnavailableError(`memcached: no server in "${text}"; ${HOW_TO_ENABLE}`);
  return list.map((s) => (/:\d+$/.test(s) ? s : `${s}:11211`)).join(',');
}

/** The servers the user pointed at, and how they named them; undefined when none is given. */
function givenServers(options: BackendOptions): { text: string; setting: string } | undefined {
  if (options.servers) return { text: options.servers, setting: 'servers' };
  for (const setting of ['MEMCACHED_SERVERS', 'MEMCACHED_URL']) {
    const text = process.env[setting];
    if (text) return { text, setting };
  }
  return undefined;
}

/** Every entry a host name, IPv4 address or [IPv6] address, with an optional port 1–65535. */
function validServerList(text: string): boolean {
  let servers: string;
  try {
    servers = normaliseServers(text);
  } catch {
    return false;
  }
  return servers.split(',').every((server) => {
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d+)$/.exec(server);
    return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65_535;
  });
}

async function checkAnswers(servers: string, timeoutMs: number, setting: string): Promise<void> {
  for (const server of servers.split(',')) {
    const [host, port] = [server.slice(0, server.lastIndexOf(':')), Number(server.slice(server.lastIndexOf(':') + 1))];
    if ((await memcachedVersion(host, port, timeoutMs)) === undefined) {
      const instead = setting === 'servers' ? 'leave out memcached:servers' : `unset ${setting}`;
      throw new BackendUnavailableError(
        `memcached: ${setting}=${servers} — ${server} does not answer; start that server, or ${instead} for a private memcached`,
      );
    }
  }
}
