import { Cluster } from 'ioredis';

/**
 * ioredis's Cluster client as the benchmark needs it: redirections are
 * followed as ioredis does by default (MOVED, ASK, up to 16 per command), but
 * a dead node is never waited out. ioredis's defaults retry a command every
 * 100 ms, up to 16 times, while its node's connection is closed or the
 * cluster answers CLUSTERDOWN: a killed master then turns every operation on
 * its slots into a stall of seconds, and a run crawls instead of reporting
 * the outage. Here such a command fails at once and the harness counts it
 * as an error; each command otherwise completes or rejects within
 * `commandTimeoutMs`, and a cluster that stays unreachable is given up after
 * a few tries.
 */
export interface ClusterClientOptions {
  /** `host:port` of the nodes to learn the cluster from. */
  nodes: readonly string[];
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/** MOVED and ASK replies the client followed, counted as ioredis handled them. */
export interface Redirections {
  moved: number;
  ask: number;
}

export function createClusterClient(options: ClusterClientOptions): { client: Cluster; redirections: Redirections } {
  const client = new Cluster(options.nodes.map(parseNode), {
    lazyConnect: true,
    // Kept on (ioredis's default): with it off, a command sent while the connection to its node is still
    // being made (lazily, or again after a restart) is refused as "Connection is closed". The queue
    // stays bounded: a cluster that cannot be reached ends after clusterRetryStrategy gives up.
    enableOfflineQueue: true,
    clusterRetryStrategy: (attempt) => (attempt > 3 ? null : 50 * attempt),
    retryDelayOnFailover: 0,
    retryDelayOnClusterDown: 0,
    redisOptions: {
      connectTimeout: options.connectTimeoutMs,
      commandTimeout: options.commandTimeoutMs,
      maxRetriesPerRequest: 1,
      // Never silently re-send a command the dead node may already have applied.
      autoResendUnfulfilledCommands: false,
    },
  });
  // Without a listener ioredis prints every node failure; the commands themselves report it.
  client.on('error', () => {});
  client.on('node error', () => {});
  return { client, redirections: countRedirections(client) };
}

/**
 * ioredis 5 follows MOVED and ASK inside `Cluster.handleError` and emits no
 * event for either (only debug output), so the count wraps that method: every
 * redirection reply a command received passes through it once.
 */
function countRedirections(client: Cluster): Redirections {
  const counts: Redirections = { moved: 0, ask: 0 };
  const handleError = client.handleError;
  if (typeof handleError !== 'function')
    throw new Error('ioredis Cluster has no handleError: this ioredis version cannot count redirections');
  client.handleError = function countingHandleError(this: Cluster, error, ttl, handlers) {
    const kind = error.message.slice(0, error.message.indexOf(' '));
    if (kind === 'MOVED') counts.moved++;
    else if (kind === 'ASK') counts.ask++;
    return handleError.call(this, error, ttl, handlers);
  };
  return counts;
}

/** `host:port` → ioredis's node form; the port is required (a cluster has no one default port for all nodes). */
export function parseNode(text: string): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65_535) throw new RangeError(`"${text}" is not host:port`);
  return { host: match[1]!, port };
}
