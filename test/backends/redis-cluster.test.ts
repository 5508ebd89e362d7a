import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../backends/backend.js';
import { RedisClusterBackend, redisClusterFactory, type RedisClusterSpec } from '../../backends/redis-cluster.js';
import { keySlot } from '../../backends/redis/key-slot.js';
import { redisCommand } from '../../backends/servers/redis-command.js';
import { startRedisCluster, type RedisCluster } from '../../backends/servers/redis-cluster.js';
import { startRedisServer } from '../../backends/servers/redis-server.js';
import { BackendSpecError } from '../../backends/spec.js';
import { forkModule } from '../../harness/fork-module.js';
import { redisServerBinary, serverBinary } from '../helpers/servers.js';

const redis = redisServerBinary();
const cli = serverBinary('redis-cli', 'apt-get install redis-server (it brings redis-tools)');
const available = redis.available && cli.available;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitDead(pid: number): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return !isAlive(pid);
}

function specFor(cluster: RedisCluster, prefix = 't:'): RedisClusterSpec {
  return {
    nodes: cluster.startupNodes,
    prefix,
    private: true,
    serverPids: '',
    connectTimeoutMs: 1_000,
    commandTimeoutMs: 1_000,
  };
}

/** A key (under `prefix`) whose stored name hashes to `slot`. */
function keyInSlot(slot: number, prefix = 't:'): string {
  for (let i = 0; ; i++) if (keySlot(`${prefix}k${i}`) === slot) return `k${i}`;
}

/** Sum over nodes of `INFO errorstats` counts for one error prefix (MOVED, ASK): the server's own tally. */
async function serverErrorCount(cluster: RedisCluster, kind: string): Promise<number> {
  let total = 0;
  for (const node of cluster.nodes) {
    const info = (await redisCommand(node.host, node.port, ['INFO', 'errorstats'])) ?? '';
    total += Number(new RegExp(`errorstat_${kind}:count=(\\d+)`).exec(info)?.[1] ?? 0);
  }
  return total;
}

let directory: string;
const savedNodes = process.env.REDIS_CLUSTER_NODES;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'cachebench-redis-cluster-test-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(() => {
  if (savedNodes === undefined) delete process.env.REDIS_CLUSTER_NODES;
  else process.env.REDIS_CLUSTER_NODES = savedNodes;
});

describe('redis-cluster options and given clusters', () => {
  it('refuses fewer than 3 masters and a node that is not host:port, naming the option', () => {
    delete process.env.REDIS_CLUSTER_NODES;
    expect(() => redisClusterFactory.validate!({ masters: '2' })).toThrow(/masters="2" must be at least 3/);
    process.env.REDIS_CLUSTER_NODES = '127.0.0.1:7000,localhost';
    expect(() => redisClusterFactory.validate!({})).toThrow(BackendSpecError);
    expect(() => redisClusterFactory.validate!({})).toThrow(
      /REDIS_CLUSTER_NODES has "localhost", which is not host:port/,
    );
  });

  it('REDIS_CLUSTER_NODES that nobody answers is unavailable, in one line naming each node', async () => {
    process.env.REDIS_CLUSTER_NODES = '127.0.0.1:1,127.0.0.1:2';
    const failure = redisClusterFactory.provision({ connect_timeout: '300' }, { directory });
    await expect(failure).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(failure).rejects.toThrow(
      /^[^\n]*127\.0\.0\.1:1 does not answer[^\n]*127\.0\.0\.1:2 does not answer[^\n]*$/,
    );
  });

  it.skipIf(!redis.available)('a plain (non-cluster) redis-server is named as such', async () => {
    const server = await startRedisServer();
    try {
      process.env.REDIS_CLUSTER_NODES = `127.0.0.1:${server.port}`;
      await expect(redisClusterFactory.provision({}, { directory })).rejects.toThrow(
        /is not a cluster node \(cluster-enabled no\)/,
      );
    } finally {
      await server.stop();
    }
  });

  it('without REDIS_CLUSTER_NODES or redis-cli, is unavailable with a hint naming both fixes', async () => {
    delete process.env.REDIS_CLUSTER_NODES;
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(redisClusterFactory.provision({}, { directory })).rejects.toThrow(
        /docker compose up -d redis-cluster.*apt-get install redis-server/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});

describe.skipIf(!available)(
  `redis-cluster on a private cluster${available ? '' : ` (skipped: ${redis.reason || cli.reason})`}`,
  () => {
    it('starts masters × (1 + replicas) nodes, describes the slot split, and stops every node by pid', async () => {
      delete process.env.REDIS_CLUSTER_NODES;
      const provisioned = await redisClusterFactory.provision(
        { masters: '3', replicas: '1' },
        { directory: mkdtempSync(join(directory, 'p-')) },
      );
      const spec = provisioned.spec as unknown as RedisClusterSpec;
      const pids = spec.serverPids.split(',').map(Number);
      expect(pids).toHaveLength(6);
      expect([provisioned.serverPid, ...(provisioned.serverPids ?? [])]).toEqual(pids);
      expect(pids.every(isAlive)).toBe(true);
      const backend = redisClusterFactory.create(provisioned.spec, 'redis-cluster');
      await backend.open();
      const description = await backend.describe();
      expect(description.settings).toMatchObject({
        private_cluster: true,
        masters: 3,
        replicas: 3,
        slot_ranges: '0-5460 5461-10922 10923-16383',
        slots_per_master: '5461,5462,5461',
        cluster_node_timeout_ms: 2000,
        save: '',
        appendonly: 'no',
      });
      expect(description.durability).toBe('never');
      await backend.close();
      await provisioned.teardown();
      for (const pid of pids) expect(await waitDead(pid)).toBe(true);
      await provisioned.teardown(); // safe twice
    });

    it.each(['SIGTERM', 'throw'])('a private cluster dies with the process that started it (%s)', async (how) => {
      const child = forkModule(new URL('./fixtures/redis-cluster-owner.ts', import.meta.url), [how], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const { pids } = await new Promise<{ pids: number[] }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as { pids: number[] }));
        child.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
      });
      expect(pids).toHaveLength(3);
      expect(pids.every(isAlive)).toBe(true);
      if (how !== 'throw') child.kill(how as NodeJS.Signals);
      await exited;
      for (const pid of pids) expect(await waitDead(pid)).toBe(true);
    });
  },
);

describe.skipIf(!available)('redis-cluster behaviour only a cluster has', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster({ directory: mkdtempSync(join(directory, 'c-')) });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("the key slot is the server's own CLUSTER KEYSLOT, hash tags and UTF-8 included", async () => {
    const keys = [
      '',
      'a',
      'foo',
      'cachebench:key-17',
      '{user1000}.following',
      '{user1000}.followers',
      'foo{}{bar}',
      'foo{{bar}}zap',
      'foo{bar}{zap}',
      '{}',
      'ключ-🔑',
      'x'.repeat(300),
    ];
    for (let i = 0; i < 200; i++) keys.push(`talk:${i}:${(i * 7919) % 1000}`);
    const { host, port } = cluster.nodes[0]!;
    for (const key of keys)
      expect(keySlot(key), key).toBe(Number(await redisCommand(host, port, ['CLUSTER', 'KEYSLOT', key])));
  });

  it('batch operations across slots answer in key order, and counts per master add up to the operations', async () => {
    const backend = new RedisClusterBackend(specFor(cluster, 'batch:'));
    await backend.open();
    try {
      const keys = Array.from({ length: 30 }, (_, i) => `b${i}`);
      expect(new Set(keys.map((k) => Math.floor(keySlot(`batch:${k}`) / 5462))).size).toBe(3); // all three masters
      expect(await backend.setMany(keys.map((k, i) => [k, `v${i}`]))).toBe(30);
      expect(await backend.getMany([...keys, 'missing'])).toEqual([...keys.map((_, i) => `v${i}`), undefined]);
      expect(await backend.deleteMany([...keys.slice(0, 10), 'missing'])).toBe(10);
      const figures = backend.counters();
      const perMaster = Object.entries(figures).filter(([name]) => name.startsWith('ops_slots_'));
      expect(perMaster.map(([name]) => name)).toEqual([
        'ops_slots_0-5460',
        'ops_slots_5461-10922',
        'ops_slots_10923-16383',
      ]);
      expect(perMaster.reduce((t, [, n]) => t + n, 0)).toBe(30 + 31 + 11);
      // Each master's count is exactly the operations on keys of its slots.
      const expected = [0, 0, 0];
      for (const key of [...keys, ...keys, 'missing', ...keys.slice(0, 10), 'missing'])
        expected[keySlot(`batch:${key}`) <= 5460 ? 0 : keySlot(`batch:${key}`) <= 10922 ? 1 : 2]!++;
      expect(perMaster.map(([, n]) => n)).toEqual(expected);
    } finally {
      await backend.close();
    }
  });

  it('counts the MOVED and ASK redirections it followed, as many as the servers sent', async () => {
    const backend = new RedisClusterBackend(specFor(cluster, 'moving:'));
    await backend.open();
    try {
      const slot = 100; // owned by the first master
      const [source, target] = [cluster.nodes[0]!, cluster.nodes[1]!];
      const [sourceId, targetId] = await Promise.all(
        [source, target].map((n) => redisCommand(n.host, n.port, ['CLUSTER', 'MYID'])),
      );
      const present = keyInSlot(slot, 'moving:');
      await backend.set(present, 'kept');
      const before = { moved: await serverErrorCount(cluster, 'MOVED'), ask: await serverErrorCount(cluster, 'ASK') };

      // Slot 100 half-way through a migration: a key the source no longer has is answered with ASK.
      await redisCommand(target.host, target.port, ['CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', sourceId!]);
      await redisCommand(source.host, source.port, ['CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', targetId!]);
      let absent = present;
      for (let i = 0; absent === present || keySlot(`moving:${absent}`) !== slot; i++) absent = `a${i}`;
      expect(await backend.get(absent)).toBeUndefined();
      // The migration finishes: the stored key moves, every node learns the new owner, and the client's map is stale.
      await redisCommand(source.host, source.port, [
        'MIGRATE',
        target.host,
        String(target.port),
        '',
        '0',
        '5000',
        'KEYS',
        `moving:${present}`,
      ]);
      for (const node of cluster.nodes)
        await redisCommand(node.host, node.port, ['CLUSTER', 'SETSLOT', String(slot), 'NODE', targetId!]);
      expect(await backend.get(present)).toBe('kept');

      // ioredis may be redirected more than once per command while its slot map catches up; the count is what the servers sent.
      const counted = backend.counters();
      expect(counted.ask_redirections).toBeGreaterThanOrEqual(1);
      expect(counted.moved_redirections).toBeGreaterThanOrEqual(1);
      expect(counted.ask_redirections).toBe((await serverErrorCount(cluster, 'ASK')) - before.ask);
      expect(counted.moved_redirections).toBe((await serverErrorCount(cluster, 'MOVED')) - before.moved);
    } finally {
      await backend.close();
    }
  });

  it('clear() on a shared cluster removes only keys under its prefix', async () => {
    const ours = new RedisClusterBackend({ ...specFor(cluster, 'ours:'), private: false });
    const theirs = new RedisClusterBackend({ ...specFor(cluster, 'theirs:'), private: false });
    await ours.open();
    await theirs.open();
    try {
      for (let i = 0; i < 60; i++) await ours.set(`k${i}`, 'ours');
      for (let i = 0; i < 5; i++) await theirs.set(`k${i}`, 'theirs');
      await ours.clear();
      for (let i = 0; i < 60; i++) expect(await ours.get(`k${i}`)).toBeUndefined();
      for (let i = 0; i < 5; i++) expect(await theirs.get(`k${i}`)).toBe('theirs');
    } finally {
      await ours.close();
      await theirs.close();
    }
  });
});
