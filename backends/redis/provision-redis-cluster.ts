import type { BackendOptions, OptionDoc, ProvisionContext, Provisioned } from '../backend.js';
import { BackendUnavailableError } from '../backend.js';
import { integerOption, rejectUnknownOptions } from '../options.js';
import type { RedisClusterSpec } from '../redis-cluster.js';
import { BackendSpecError } from '../spec.js';
import { findRedisCli, startRedisCluster } from '../servers/redis-cluster.js';
import { findRedisServer } from '../servers/redis-server.js';
import { redisCommand } from '../servers/redis-command.js';
import { firstLine } from '../../shared/first-line.js';
import { parseNode } from './cluster-client.js';

export const REDIS_CLUSTER_OPTIONS: Record<string, OptionDoc> = {
  nodes: {
    description:
      'host:port of cluster nodes (separated by +, ; or spaces; a comma in $REDIS_CLUSTER_NODES) to use instead of a private cluster',
    default: '$REDIS_CLUSTER_NODES, else a private cluster',
  },
  masters: { description: 'private cluster only: masters (at least 3)', default: '3' },
  replicas: { description: 'private cluster only: replicas of each master', default: '0' },
  node_timeout: {
    description:
      "private cluster only: milliseconds before a silent node is declared failed (cluster-node-timeout; Redis's own default is 15000)",
    default: '2000',
  },
  prefix: {
    description: "prefix of every key, so clear() on a shared cluster removes only this run's keys",
    default: 'cachebench:',
  },
  command_timeout: { description: 'milliseconds before a command counts as a timeout', default: '2000' },
  connect_timeout: { description: 'milliseconds to wait for a connection', default: '2000' },
};

const B = 'redis-cluster';
const HOW_TO_ENABLE =
  'run `docker compose up -d redis-cluster` and set REDIS_CLUSTER_NODES=127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002, or `apt-get install redis-server` (it brings redis-cli)';

export interface RedisClusterOptions {
  /** Given nodes (option or $REDIS_CLUSTER_NODES), or undefined for a private cluster. */
  nodes: string[] | undefined;
  masters: number;
  replicas: number;
  nodeTimeoutMs: number;
  prefix: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

/** The options, naming a bad one; reads $REDIS_CLUSTER_NODES but touches no network (also the factory's validate). */
export function parseRedisClusterOptions(options: BackendOptions): RedisClusterOptions {
  rejectUnknownOptions(B, options, REDIS_CLUSTER_OPTIONS);
  const masters = integerOption(B, 'masters', options.masters, 3);
  if (masters < 3)
    throw new BackendSpecError(
      `backend ${B}: option masters="${options.masters}" must be at least 3 (Redis Cluster needs 3 masters)`,
    );
  const fromOption = options.nodes !== undefined;
  const text = options.nodes ?? process.env.REDIS_CLUSTER_NODES;
  return {
    nodes:
      text === undefined || text.trim() === ''
        ? undefined
        : parseNodeList(text, fromOption ? 'option nodes' : 'REDIS_CLUSTER_NODES'),
    masters,
    replicas: integerOption(B, 'replicas', options.replicas, 0),
    nodeTimeoutMs: integerOption(B, 'node_timeout', options.node_timeout, 2_000),
    prefix: options.prefix ?? 'cachebench:',
    commandTimeoutMs: integerOption(B, 'command_timeout', options.command_timeout, 2_000),
    connectTimeoutMs: integerOption(B, 'connect_timeout', options.connect_timeout, 2_000),
  };
}

function parseNodeList(text: string, source: string): string[] {
  const nodes = text.split(/[,;+\s]+/).filter((s) => s !== '');
  for (const node of nodes) {
    try {
      parseNode(node);
    } catch {
      throw new BackendSpecError(
        `backend ${B}: ${source} has "${node}", which is not host:port; expected e.g. 127.0.0.1:7000,127.0.0.1:7001`,
      );
    }
  }
  return nodes;
}

/**
 * Finds a Redis Cluster for the run: the `nodes` option, $REDIS_CLUSTER_NODES,
 * or a private cluster started here (`masters × (1 + replicas)` nodes,
 * stopped by pid at teardown and killed if this process exits or is
 * interrupted first). With none of them the backend is unavailable.
 */
export async function provisionRedisCluster(options: BackendOptions, context: ProvisionContext): Promise<Provisioned> {
  const parsed = parseRedisClusterOptions(options);
  const base = {
    prefix: parsed.prefix,
    connectTimeoutMs: parsed.connectTimeoutMs,
    commandTimeoutMs: parsed.commandTimeoutMs,
  };

  if (parsed.nodes) {
    await checkCluster(parsed.nodes, parsed.connectTimeoutMs);
    const spec: RedisClusterSpec = { ...base, nodes: parsed.nodes.join(','), private: false, serverPids: '' };
    return { spec: { ...spec }, untrackedServer: `Redis Cluster at ${spec.nodes}`, teardown: async () => {} };
  }

  if (!findRedisServer() || !findRedisCli()) {
    throw new BackendUnavailableError(
      `${B}: REDIS_CLUSTER_NODES is not set and redis-server or redis-cli is not on PATH; ${HOW_TO_ENABLE}`,
    );
  }
  let cluster;
  try {
    cluster = await startRedisCluster({
      masters: parsed.masters,
      replicas: parsed.replicas,
      nodeTimeoutMs: parsed.nodeTimeoutMs,
      directory: context.directory,
    });
  } catch (error) {
    throw new BackendUnavailableError(
      `${B}: could not start a private cluster (${firstLine((error as Error).message)})`,
    );
  }
  const pids = cluster.nodes.map((n) => n.pid);
  const spec: RedisClusterSpec = { ...base, nodes: cluster.startupNodes, private: true, serverPids: pids.join(',') };
  return { spec: { ...spec }, serverPid: pids[0]!, serverPids: pids.slice(1), teardown: () => cluster.stop() };
}

/** One line when no given node answers as part of a healthy cluster. */
async function checkCluster(nodes: readonly string[], timeoutMs: number): Promise<void> {
  const problems: string[] = [];
  for (const node of nodes) {
    const { host, port } = parseNode(node);
    try {
      const info = (await redisCommand(host, port, ['CLUSTER', 'INFO'], timeoutMs)) ?? '';
      const state = /cluster_state:(\w+)/.exec(info)?.[1];
      if (state === 'ok') return;
      problems.push(`${node} reports cluster_state:${state ?? 'unknown'}`);
    } catch (error) {
      const message = firstLine((error as Error).message);
      problems.push(
        /cluster support disabled/i.test(message)
          ? `${node} is not a cluster node (cluster-enabled no)`
          : `${node} does not answer (${message})`,
      );
    }
  }
  throw new BackendUnavailableError(
    `${B}: no healthy cluster at ${nodes.join(',')}: ${problems.join('; ')}; ${HOW_TO_ENABLE}`,
  );
}
