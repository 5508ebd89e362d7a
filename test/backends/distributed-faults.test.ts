/**
 * Faults only a distributed store has, in real runs: real worker processes,
 * real servers, a node killed (and restarted) while the workers run. The run
 * must finish, and every failed operation must be counted as an error in the
 * totals and in the interval where it happened, never hidden.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressSnapshot } from '../../harness/progress-report.js';
import type { BackendResult } from '../../results/results.js';
import { startMemcached, type MemcachedServer } from '../../backends/servers/memcached-server.js';
import { startRedisCluster, type RedisCluster } from '../../backends/servers/redis-cluster.js';
import { collectSeries } from '../../reports/series.js';
import { ERRORS, throughputData } from '../../reports/specs/time-series-spec.js';
import { getScenario } from '../../scenarios/registry.js';
import { run } from '../harness/helpers.js';
import { memcachedBinary, redisServerBinary, serverBinary } from '../helpers/servers.js';

const redis = redisServerBinary();
const cli = serverBinary('redis-cli', 'apt-get install redis-server (it brings redis-tools)');
const memcached = memcachedBinary();
const PROCS = 2;
const OPS = 12_000;

let directory: string;
const saved = { cluster: process.env.REDIS_CLUSTER_NODES, memcached: process.env.MEMCACHED_SERVERS };
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'cachebench-distributed-faults-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(() => {
  for (const [name, value] of [
    ['REDIS_CLUSTER_NODES', saved.cluster],
    ['MEMCACHED_SERVERS', saved.memcached],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** Calls `step(i)` once, in order, each time `reading(snapshot)` passes the next of `marks` (a fraction of the ops, or seconds). */
function atMarks(
  marks: number[],
  reading: (s: ProgressSnapshot) => number,
  step: (i: number) => Promise<void>,
): { onProgress: (s: ProgressSnapshot) => void; done: () => Promise<void> } {
  let next = 0;
  let chain: Promise<void> = Promise.resolve();
  return {
    onProgress: (snapshot) => {
      while (next < marks.length && reading(snapshot) >= marks[next]!) {
        const i = next++;
        chain = chain.then(() => step(i));
      }
    },
    done: () => chain,
  };
}

const fractionOfOps = (s: ProgressSnapshot): number => (s.totalOps === null ? 0 : s.ops / s.totalOps);

/** Every measured operation is either answered (count) or failed (errors). */
function operations(result: BackendResult): { answered: number; errors: number } {
  const actions = Object.values(result.actions);
  return { answered: actions.reduce((t, a) => t + a.count, 0), errors: actions.reduce((t, a) => t + a.errors, 0) };
}

function errorsPerInterval(result: BackendResult): number[] {
  return result.intervals.map((i) => Object.values(i.actions).reduce((t, a) => t + (a.errors ?? 0), 0));
}

describe.skipIf(!memcached.available)('memcached with three servers, one killed mid-run', () => {
  let servers: MemcachedServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it("finishes; the dead server's keys fail as counted errors from the interval it died in, the others are answered", async () => {
    servers = await Promise.all([0, 1, 2].map(() => startMemcached()));
    process.env.MEMCACHED_SERVERS = servers.map((s) => s.servers).join(',');
    const victim = servers[1]!;
    const trigger = atMarks([0.3], fractionOfOps, async () => {
      process.kill(victim.pid, 'SIGKILL');
      await victim.exited;
    });
    const file = await run(
      'memcached:command_timeout=500',
      getScenario('talk'),
      { procs: PROCS, ops: OPS, warmupOps: 100 },
      { intervalMs: 250, callFloors: false, onProgress: trigger.onProgress },
    );
    await trigger.done();
    const result = file.backends[0]!;

    const { answered, errors } = operations(result);
    expect(answered + errors).toBe(PROCS * OPS);
    expect(errors).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(0.3 * PROCS * OPS);
    expect(result.status).toBe('partial');
    expect(result.message).toMatch(/operations failed/);
    // Each failure names the one server its key went to, not the whole list.
    expect(
      Object.values(result.actions)
        .flatMap((a) => a.errorMessages)
        .join(' '),
    ).toContain(`memcached at 127.0.0.1:${victim.port}: connection lost`);
    // Spread by memjs's hashing: the killed server had taken some of the operations, and so had the others.
    const spread = [1, 2, 3].map((n) => result.metrics?.[`ops_server_${n}`] as number);
    expect(spread.every((n) => n > 0)).toBe(true);

    // The series shows when: no errors before the kill, errors in every interval after it.
    const perInterval = errorsPerInterval(result);
    const first = perInterval.findIndex((n) => n > 0);
    expect(first).toBeGreaterThan(0);
    expect(perInterval.slice(0, first).every((n) => n === 0)).toBe(true);
    expect(perInterval.slice(first, -1).every((n) => n > 0)).toBe(true);
    // And the throughput plot draws them as their own line.
    const errorPoints = throughputData(collectSeries([file])).filter((d) => d.action === ERRORS);
    expect(errorPoints.some((d) => d.opsPerSecond > 0)).toBe(true);
    expect(errorPoints.some((d) => d.opsPerSecond === 0)).toBe(true);
  });
});

describe.skipIf(!(redis.available && cli.available))('redis-cluster with a master killed mid-run and restarted', () => {
  let cluster: RedisCluster;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('finishes; operations fail while the master is down and are answered again after it rejoins', async () => {
    cluster = await startRedisCluster({ directory: mkdtempSync(join(directory, 'cluster-')) });
    process.env.REDIS_CLUSTER_NODES = cluster.startupNodes;
    const victim = { ...cluster.nodes[0]! };
    // Down from 1 s to 3 s of an 11 s run: the other nodes declare it failed (node timeout 2 s) and the
    // whole cluster answers CLUSTERDOWN; back, it rejoins with its nodes.conf and the cluster recovers.
    const trigger = atMarks(
      [1, 3],
      (s) => s.elapsedSeconds,
      async (step) => {
        if (step === 0) await cluster.kill(0);
        else await cluster.restart(0);
      },
    );
    const file = await run(
      'redis-cluster:command_timeout=500',
      getScenario('talk'),
      { procs: PROCS, ops: null, durationSeconds: 11, warmupOps: 100 },
      { intervalMs: 500, callFloors: false, onProgress: trigger.onProgress },
    );
    await trigger.done();
    const result = file.backends[0]!;

    const { answered, errors } = operations(result);
    expect(errors).toBeGreaterThan(0);
    expect(answered).toBeGreaterThan(0);
    expect(result.status).toBe('partial');
    const messages = Object.values(result.actions)
      .flatMap((a) => a.errorMessages)
      .join(' ');
    expect(messages).toMatch(/Connection is closed|CLUSTERDOWN/);
    // Errors began after the start and stopped once the master was back: the last second is clean and answered.
    const perInterval = errorsPerInterval(result);
    const first = perInterval.findIndex((n) => n > 0);
    expect(first).toBeGreaterThan(0);
    expect(perInterval.slice(-2)).toEqual([0, 0]);
    expect(result.intervals.at(-2)!.actions.get!.count).toBeGreaterThan(0);
    expect(cluster.nodes[0]!.running).toBe(true);
    expect(cluster.nodes[0]!.pid).not.toBe(victim.pid);
    expect(cluster.nodes[0]!.port).toBe(victim.port);
  });
});

describe.skipIf(!(redis.available && cli.available))('redis-cluster with replicas, a master killed mid-run', () => {
  let cluster: RedisCluster;
  afterAll(async () => {
    await cluster?.stop();
  });

  it('fails over to the replica: errors while it is down, then answers again, the redirections counted', async () => {
    cluster = await startRedisCluster({ replicas: 1, directory: mkdtempSync(join(directory, 'replicas-')) });
    process.env.REDIS_CLUSTER_NODES = cluster.startupNodes;
    // Killed at 1 s and left dead: after the node timeout (2 s) its replica is elected and takes the slots over.
    const trigger = atMarks(
      [1],
      (s) => s.elapsedSeconds,
      () => cluster.kill(0),
    );
    const file = await run(
      'redis-cluster:command_timeout=500',
      getScenario('talk'),
      { procs: PROCS, ops: null, durationSeconds: 9, warmupOps: 100 },
      { intervalMs: 500, callFloors: false, onProgress: trigger.onProgress },
    );
    await trigger.done();
    const result = file.backends[0]!;

    expect(operations(result).errors).toBeGreaterThan(0);
    const perInterval = errorsPerInterval(result);
    expect(perInterval.findIndex((n) => n > 0)).toBeGreaterThan(0);
    expect(perInterval.slice(-2)).toEqual([0, 0]);
    // Clients learned the new owner of the dead master's slots from MOVED replies.
    expect(result.metrics?.moved_redirections).toBeGreaterThan(0);
    expect(result.description?.settings).toMatchObject({ masters: 3, replicas: 3 });
  });
});
