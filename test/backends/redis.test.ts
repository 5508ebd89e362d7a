import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BackendConnectionError, BackendTimeoutError, BackendUnavailableError } from '../../backends/backend.js';
import { RedisBackend, redisFactory, type RedisSpec } from '../../backends/redis.js';
import { answersPing, startRedisServer, type RedisServer } from '../../backends/servers/redis-server.js';
import { forkModule } from '../../harness/fork-module.js';
import { redisServerBinary } from '../helpers/servers.js';

const redis = redisServerBinary();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed child reparented to a PID 1 that does not reap stays a zombie; count it as dead.
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

function specFor(server: RedisServer, commandTimeoutMs = 2_000): RedisSpec {
  return {
    url: server.url,
    prefix: 't:',
    private: true,
    serverPid: server.pid,
    connectTimeoutMs: 1_000,
    commandTimeoutMs,
  };
}

let directory: string;
let savedUrl: string | undefined;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'cachebench-redis-'));
  savedUrl = process.env.REDIS_URL;
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(() => {
  if (savedUrl === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = savedUrl;
});

describe('redis provision', () => {
  it('without a server or a binary, is unavailable with a one-line hint naming both fixes', async () => {
    delete process.env.REDIS_URL;
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const failure = redisFactory.provision({}, { directory });
      await expect(failure).rejects.toBeInstanceOf(BackendUnavailableError);
      await expect(failure).rejects.toThrow(/docker compose up -d redis.*apt-get install redis-server/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('with a REDIS_URL that does not answer, is unavailable and says which URL', async () => {
    process.env.REDIS_URL = 'redis://:secret@127.0.0.1:1';
    const failure = redisFactory.provision({ connect_timeout: '500' }, { directory });
    await expect(failure).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(failure).rejects.toThrow(/127\.0\.0\.1:1 does not answer/);
    await expect(failure).rejects.not.toThrow(/secret/);
  });

  it.skipIf(!redis.available)(
    'starts a private server with persistence off and stops it by pid at teardown',
    async () => {
      delete process.env.REDIS_URL;
      const provisioned = await redisFactory.provision({}, { directory });
      const spec = provisioned.spec as unknown as RedisSpec;
      expect(spec.private).toBe(true);
      expect(spec.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      expect(isAlive(spec.serverPid!)).toBe(true);

      const backend = redisFactory.create(provisioned.spec, 'redis');
      await backend.open();
      const description = await backend.describe();
      expect(description.version).toMatch(/^Redis \d+\.\d+/);
      expect(description.durability).toBe('never');
      expect(description.settings).toMatchObject({ save: '', appendonly: 'no', private_server: true });
      await backend.close();

      await provisioned.teardown();
      expect(isAlive(spec.serverPid!)).toBe(false);
      expect(await answersPing('127.0.0.1', Number(new URL(spec.url).port))).toBe(false);
      await provisioned.teardown(); // safe twice
    },
  );
});

describe.skipIf(!redis.available)('redis on a shared server (REDIS_URL)', () => {
  it('uses the given server, and clear() removes only keys under its prefix', async () => {
    const server = await startRedisServer();
    try {
      process.env.REDIS_URL = server.url;
      const provisioned = await redisFactory.provision({ prefix: 'mine:' }, { directory });
      // A loopback server of this machine is found by its listening port: its CPU is the run's own, not noise.
      expect(provisioned.spec).toMatchObject({ url: server.url, private: false, serverPid: server.pid });
      expect(provisioned.serverPid).toBe(server.pid);
      const ours = redisFactory.create(provisioned.spec, 'redis');
      const theirs = new RedisBackend({ ...specFor(server), prefix: 'theirs:', private: false }, 'redis');
      await ours.open();
      await theirs.open();
      for (let i = 0; i < 50; i++) await ours.set(`k${i}`, 'ours');
      await theirs.set('k1', 'theirs');
      await ours.clear();
      expect(await ours.get('k1')).toBeUndefined();
      expect(await theirs.get('k1')).toBe('theirs');
      await ours.close();
      await theirs.close();
      await provisioned.teardown();
      expect(isAlive(server.pid)).toBe(true); // not ours to stop
    } finally {
      await server.stop();
    }
  });
});

describe.skipIf(!redis.available)('redis server failures', () => {
  it('a server killed mid-run makes every operation reject promptly with a connection error naming it', async () => {
    const server = await startRedisServer();
    const backend = new RedisBackend(specFor(server), 'redis');
    await backend.open();
    await backend.set('k', 'v');
    expect(await backend.get('k')).toBe('v');

    process.kill(server.pid, 'SIGKILL');
    await server.exited;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? backend.get('k') : backend.set('k', 'v'))),
    );
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    const reasons = outcomes.map((o) => (o as PromiseRejectedResult).reason as Error);
    for (const reason of reasons) {
      expect(reason).toBeInstanceOf(BackendConnectionError);
      expect(reason.message).toContain(`127.0.0.1:${server.port}`);
    }
    // Still failing fast after ioredis has given up reconnecting.
    await new Promise((resolve) => setTimeout(resolve, 700));
    await expect(backend.get('k')).rejects.toBeInstanceOf(BackendConnectionError);
    await backend.close();
    await server.stop();
  });

  it('a server that stops answering (SIGSTOP) turns into counted timeouts, not a hang', async () => {
    const server = await startRedisServer();
    const backend = new RedisBackend(specFor(server, 300), 'redis');
    await backend.open();
    process.kill(server.pid, 'SIGSTOP');
    try {
      await expect(backend.get('k')).rejects.toBeInstanceOf(BackendTimeoutError);
    } finally {
      process.kill(server.pid, 'SIGCONT');
    }
    expect(await backend.get('k')).toBeUndefined();
    await backend.close();
    await server.stop();
  });

  it.each(['SIGINT', 'SIGTERM', 'throw'])(
    'a private server dies with the process that started it (%s)',
    async (how) => {
      const child = forkModule(new URL('./fixtures/redis-owner.ts', import.meta.url), [how], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const { pid } = await new Promise<{ pid: number }>((resolve, reject) => {
        child.once('message', (m) => resolve(m as { pid: number }));
        child.once('exit', (code) => reject(new Error(`fixture exited early with ${code}`)));
      });
      expect(isAlive(pid)).toBe(true);
      if (how !== 'throw') child.kill(how as NodeJS.Signals);
      await exited;
      // SIGKILL was sent as the owner exited; the kernel may take a moment to finish the server off.
      const deadline = Date.now() + 5_000;
      while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(isAlive(pid)).toBe(false);
    },
  );
});
