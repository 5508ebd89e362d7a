import type { Cluster, Redis } from 'ioredis';
import type { Backend, BackendDescription, BackendFactory, BackendSpec, Value } from './backend.js';
import { describeBackend } from './describe-backend.js';
import { createClusterClient, type Redirections } from './redis/cluster-client.js';
import { keySlot, SLOT_COUNT } from './redis/key-slot.js';
import {
  parseRedisClusterOptions,
  provisionRedisCluster,
  REDIS_CLUSTER_OPTIONS,
} from './redis/provision-redis-cluster.js';
import { durabilityOf, ioredisVersion, readConfig } from './redis/redis-config.js';
import { decodeValue as decode, encodeValue as encode } from './redis/redis-value.js';
import { redisError } from './redis/redis-client.js';
import { RedisKeyCommands } from './redis/redis-key-commands.js';

/**
 * Redis Cluster through ioredis's Cluster client: each key goes to the
 * master owning its hash slot. Values are stored as for `redis`. The batch
 * operations split their keys by slot and send one MGET/MSET/DEL per slot
 * (as cluster clients' non-atomic multi-key helpers do), so a batch is not
 * atomic across slots.
 *
 * Besides latencies, each worker counts what only a cluster has: the
 * MOVED/ASK redirections its client followed and how its operations spread
 * over the masters' slot ranges (`counters`).
 */

export interface RedisClusterSpec {
  /** `host:port,…` the client learns the cluster from. */
  nodes: string;
  prefix: string;
  /** True when this run started the cluster itself (FLUSHDB on every master is then safe). */
  private: boolean;
  /** The private cluster's node pids, comma-separated, for diagnostics; empty for a given cluster. */
  serverPids: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export class RedisClusterBackend extends RedisKeyCommands implements Backend {
  readonly name = 'redis-cluster';
  protected readonly client: Cluster;
  private readonly redirections: Redirections;
  /** Operations per hash slot, keys of a batch counted one by one. */
  private readonly slotOps = new Uint32Array(SLOT_COUNT);
  protected readonly where: string;

  constructor(
    private readonly spec: RedisClusterSpec,
    readonly label = 'redis-cluster',
  ) {
    super();
    ({ client: this.client, redirections: this.redirections } = createClusterClient({
      // create() must not fail before open(): a spec without nodes (tools listing capabilities) gets a client that is never connected.
      nodes: (spec.nodes ?? '').split(',').filter((node) => node !== ''),
      connectTimeoutMs: spec.connectTimeoutMs,
      commandTimeoutMs: spec.commandTimeoutMs,
    }));
    this.where = `cluster at ${spec.nodes}`;
  }

  async clear(): Promise<void> {
    const masters = this.client.nodes('master');
    if (this.spec.private) {
      await Promise.all(masters.map((node) => node.flushdb())).catch(this.fail);
      return;
    }
    // A shared cluster (REDIS_CLUSTER_NODES): remove only this run's prefix, master by master.
    await Promise.all(masters.map((node) => this.clearPrefixOn(node))).catch(this.fail);
  }

  async getMany(keys: readonly string[]): Promise<(Value | undefined)[]> {
    const values: (Value | undefined)[] = new Array(keys.length);
    await Promise.all(
      this.bySlot(keys).map(async (group) => {
        const raw = await this.client.mgetBuffer(...group.map((i) => this.k(keys[i]!, false))).catch(this.fail);
        group.forEach((i, j) => (values[i] = decode(raw[j] ?? null)));
      }),
    );
    return values;
  }

  async setMany(entries: readonly (readonly [string, Value])[]): Promise<number> {
    const keys = entries.map(([key]) => key);
    await Promise.all(
      this.bySlot(keys).map((group) => {
        const flat = group.flatMap((i) => [this.k(keys[i]!, false), encode(entries[i]![1])]);
        return this.client.mset(...flat).catch(this.fail);
      }),
    );
    return entries.length;
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    const counts = await Promise.all(
      this.bySlot(keys).map((group) => this.client.del(...group.map((i) => this.k(keys[i]!, false))).catch(this.fail)),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }

  async describe(): Promise<BackendDescription> {
    const masters = this.client.nodes('master');
    const first = masters[0];
    if (!first) throw redisError(new Error('no master known'), this.where);
    const info = await first.info('server').catch(this.fail);
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    const config = await readConfig(first);
    const nodeTimeout = await first.config('GET', 'cluster-node-timeout').then(
      (r) => Number((r as string[])[1]),
      () => null,
    );
    const ranges = this.masterRanges();
    // CLUSTER NODES, not the client's slot map: Redis leaves a replica out of CLUSTER SLOTS until it has replicated something.
    const table = await first.cluster('NODES').then(String, () => '');
    const replicas = table.split('\n').filter((line) => /\bslave\b/.test(line.split(' ')[2] ?? '')).length;
    return describeBackend(this, {
      durability: durabilityOf(config),
      version: `Redis ${version}, ioredis ${ioredisVersion()}`,
      // A private cluster's ports and pids differ on every run.
      instance: { nodes: this.spec.nodes, server_pids: this.spec.serverPids || null },
      settings: {
        private_cluster: this.spec.private,
        masters: ranges.size,
        replicas,
        // How the 16,384 hash slots are split, one entry per master in slot order.
        slot_ranges: [...ranges.values()].join(' '),
        slots_per_master: [...ranges.keys()]
          .map((master) => this.client.slots.filter((owners) => owners[0] === master).length)
          .join(','),
        hashing: 'CRC16(key) mod 16384 (Redis Cluster hash slots)',
        cluster_node_timeout_ms: nodeTimeout,
        prefix: this.spec.prefix,
        command_timeout_ms: this.spec.commandTimeoutMs,
        ...config,
      },
    });
  }

  /**
   * Redirections this worker's client followed since open, and its
   * operations per master, each master named by the slots it owns now
   * (`ops_slots_0-5460`), so figures of several workers add up.
   */
  counters(): Record<string, number> {
    const figures: Record<string, number> = {
      moved_redirections: this.redirections.moved,
      ask_redirections: this.redirections.ask,
    };
    for (const [master, range] of this.masterRanges()) {
      let ops = 0;
      this.client.slots.forEach((owners, slot) => {
        if (owners[0] === master) ops += this.slotOps[slot]!;
      });
      figures[`ops_slots_${range}`] = ops;
    }
    return figures;
  }

  /** Each master (node key) with the slot ranges it owns, in slot order, e.g. `0-5460`. */
  private masterRanges(): Map<string, string> {
    const ranges = new Map<string, string[]>();
    let start = 0;
    const slots = this.client.slots;
    for (let slot = 1; slot <= SLOT_COUNT; slot++) {
      const owner = slots[start]?.[0];
      if (slot < SLOT_COUNT && slots[slot]?.[0] === owner) continue;
      if (owner !== undefined) {
        if (!ranges.has(owner)) ranges.set(owner, []);
        ranges.get(owner)!.push(slot - 1 === start ? `${start}` : `${start}-${slot - 1}`);
      }
      start = slot;
    }
    return new Map([...ranges].map(([owner, list]) => [owner, list.join('+')]));
  }

  /** The stored key, counting the operation against its slot. */
  /** Prefixed here (ioredis's Cluster client would not count slots), and counted as one operation on its slot. */
  protected wireKey(key: string): string {
    return this.k(key);
  }

  private k(key: string, count = true): string {
    const full = this.spec.prefix + key;
    if (count) this.slotOps[keySlot(full)]!++;
    return full;
  }

  /** Indexes of `keys` grouped by hash slot (each key counted once as an operation). */
  private bySlot(keys: readonly string[]): number[][] {
    const groups = new Map<number, number[]>();
    keys.forEach((key, i) => {
      const slot = keySlot(this.spec.prefix + key);
      this.slotOps[slot]!++;
      if (!groups.has(slot)) groups.set(slot, []);
      groups.get(slot)!.push(i);
    });
    return [...groups.values()];
  }

  private async clearPrefixOn(node: Redis): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${escapeGlob(this.spec.prefix)}*`, 'COUNT', 1000);
      // A node accepts a multi-key command only for keys of one slot.
      const groups = new Map<number, string[]>();
      for (const key of keys) {
        const slot = keySlot(key);
        if (!groups.has(slot)) groups.set(slot, []);
        groups.get(slot)!.push(key);
      }
      for (const group of groups.values()) await node.unlink(...group);
      cursor = next;
    } while (cursor !== '0');
  }
}

/** A prefix as a literal SCAN MATCH pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

export const redisClusterFactory: BackendFactory = {
  name: 'redis-cluster',
  summary:
    "Redis Cluster via ioredis's Cluster client: REDIS_CLUSTER_NODES, or a private cluster (3 masters by default) on free loopback ports.",
  options: REDIS_CLUSTER_OPTIONS,
  validate(options) {
    parseRedisClusterOptions(options);
  },
  provision: provisionRedisCluster,
  create(spec: BackendSpec, label) {
    // The spec is the RedisClusterSpec this factory's provision produced.
    return new RedisClusterBackend(spec as unknown as RedisClusterSpec, label);
  },
};
