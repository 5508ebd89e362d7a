import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { redisCommand } from './redis-command.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { findExecutable, ServerStartError } from './spawn-server.js';

/**
 * A private Redis Cluster for one run or one test file: `masters × (1 +
 * replicas)` redis-servers with `--cluster-enabled yes`, each on a free
 * loopback port in its own directory (its nodes.conf lives there), joined by
 * `redis-cli --cluster create`. Every node is spawned directly, so its pid is
 * its own: stopping the cluster stops each node by pid, and each is killed if
 * this process exits or is interrupted first (child-cleanup.ts).
 */
export interface StartRedisClusterOptions {
  /** Masters; Redis Cluster needs at least 3. @default 3 */
  masters?: number;
  /** Replicas of each master. @default 0 */
  replicas?: number;
  /**
   * Milliseconds a node may be unreachable before the others declare it
   * failed (`cluster-node-timeout`; Redis's own default is 15000).
   * @default 2000
   */
  nodeTimeoutMs?: number;
  /** Parent directory of the nodes' directories; default a fresh temp directory removed on stop. */
  directory?: string;
  /** How long to wait for `cluster_state:ok` on every node. @default 30000 */
  readyTimeoutMs?: number;
}

export interface ClusterNode {
  host: string;
  port: number;
  /** The node's current pid; a restarted node has a new one. */
  pid: number;
  /** Whether the node's process is running (it was not killed, or was restarted since). */
  running: boolean;
}

export interface RedisCluster {
  /** Every node, in the order given to `redis-cli --cluster create` (masters first). */
  readonly nodes: readonly ClusterNode[];
  /** `127.0.0.1:p1,127.0.0.1:p2,…`: the form REDIS_CLUSTER_NODES takes. */
  readonly startupNodes: string;
  /** Kills one node now (SIGKILL: no goodbye to its peers, as a crash). */
  kill(index: number): Promise<void>;
  /** Starts a killed node again on its port and directory: it rejoins with its nodes.conf. */
  restart(index: number): Promise<void>;
  /** Resolves once every running node reports `cluster_state:ok`. */
  waitUntilOk(timeoutMs?: number): Promise<void>;
  /** Stops every node by pid and removes the directories it made. Safe to call twice. */
  stop(): Promise<void>;
}

/** redis-cli, which `--cluster create` needs; Debian's redis-server package brings it (redis-tools). */
export function findRedisCli(): string | undefined {
  return findExecutable('redis-cli');
}

export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  const replicas = options.replicas ?? 0;
  if (masters < 3) throw new ServerStartError(`a Redis Cluster needs at least 3 masters, got ${masters}`);
  const ownDirectory = options.directory === undefined;
  const root = options.directory ?? mkdtempSync(join(tmpdir(), 'cachebench-redis-cluster-'));
  const nodeTimeout = String(options.nodeTimeoutMs ?? 2_000);
  const servers: (RedisServer | undefined)[] = [];
  const nodes: ClusterNode[] = [];

  const startNode = (index: number, port?: number): Promise<RedisServer> => {
    const directory = join(root, `node-${index}`);
    mkdirSync(directory, { recursive: true });
    return startRedisServer({
      directory,
      ...(port === undefined ? {} : { port }),
      extraArgs: [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        nodeTimeout,
      ],
    });
  };

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await Promise.all(servers.map((server) => server?.stop()));
      for (const node of nodes) node.running = false;
      if (ownDirectory) rmSync(root, { recursive: true, force: true });
    })();
    return stopped;
  };

  const waitUntilOk = async (timeoutMs = options.readyTimeoutMs ?? 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(nodes.filter((n) => n.running).map((n) => clusterState(n.host, n.port)));
      if (states.every((s) => s === 'ok')) return;
      if (Date.now() > deadline) {
        throw new ServerStartError(
          `the Redis Cluster did not report cluster_state:ok within ${timeoutMs} ms (states: ${states.join(', ')})`,
        );
      }
      await delay(50);
    }
  };

  try {
    for (let i = 0; i < masters * (1 + replicas); i++) {
      const server = await startNode(i);
      servers.push(server);
      nodes.push({ host: server.host, port: server.port, pid: server.pid, running: true });
    }
    await createCluster(
      nodes.map((n) => `${n.host}:${n.port}`),
      replicas,
    );
    await waitUntilOk();
    // cluster_state:ok says every slot has a master; replicas may still be attaching and syncing.
    await waitForReplicas(nodes, masters * replicas, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    nodes,
    startupNodes: nodes.map((n) => `${n.host}:${n.port}`).join(','),
    async kill(index) {
      const server = servers[index];
      const node = nodes[index];
      if (!server || !node?.running) return;
      process.kill(server.pid, 'SIGKILL');
      await server.exited;
      await server.stop(); // unregisters the exit hook; the directory (nodes.conf) stays
      node.running = false;
    },
    async restart(index) {
      const node = nodes[index];
      if (!node || node.running) return;
      const server = await startNode(index, node.port);
      servers[index] = server;
      node.pid = server.pid;
      node.running = true;
    },
    waitUntilOk,
    stop,
  };
}

async function createCluster(addresses: string[], replicas: number): Promise<void> {
  const cli = findRedisCli();
  if (!cli)
    throw new ServerStartError('redis-cli is not on PATH (it creates the cluster); apt-get install redis-server');
  const child = spawn(
    cli,
    ['--cluster', 'create', ...addresses, '--cluster-replicas', String(replicas), '--cluster-yes'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) {
    // Colour codes and progress dots make the tail hard to read; keep the last meaningful line.
    const last =
      stripVTControlCharacters(output)
        .trim()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .pop() ?? '';
    throw new ServerStartError(`redis-cli --cluster create exited with code ${code}${last ? `: ${last}` : ''}`);
  }
}

/** Waits until every node knows `expected` replicas and each replica's link to its master is up (initial sync done). */
async function waitForReplicas(nodes: readonly ClusterNode[], expected: number, timeoutMs: number): Promise<void> {
  if (expected === 0) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = await Promise.all(
      nodes.map(async (n) => {
        try {
          const table = (await redisCommand(n.host, n.port, ['CLUSTER', 'NODES'])) ?? '';
          const replicas = table.split('\n').filter((line) => /\bslave\b/.test(line.split(' ')[2] ?? '')).length;
          const replication = (await redisCommand(n.host, n.port, ['INFO', 'replication'])) ?? '';
          const synced = !/role:slave/.test(replication) || /master_link_status:up/.test(replication);
          return replicas === expected && synced;
        } catch {
          return false;
        }
      }),
    );
    if (views.every(Boolean)) return;
    if (Date.now() > deadline)
      throw new ServerStartError(
        `the Redis Cluster's ${expected} replicas were not all attached and synced within ${timeoutMs} ms`,
      );
    await delay(50);
  }
}

/** `ok`, `fail`, or `down` when the node does not answer. */
async function clusterState(host: string, port: number): Promise<string> {
  try {
    const info = (await redisCommand(host, port, ['CLUSTER', 'INFO'])) ?? '';
    return /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  } catch {
    return 'down';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
