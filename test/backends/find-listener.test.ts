import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { provisionRedis } from '../../backends/redis/provision-redis.js';
import { findListenerPid, isLoopbackHost } from '../../backends/servers/find-listener.js';
import { findRedisServer, startRedisServer } from '../../backends/servers/redis-server.js';
import { noiseMeasurable } from '../../harness/host-noise.js';

function listen(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

describe('the pid behind a loopback port', () => {
  it('finds the process listening on a port, and nothing on a closed one', async (ctx) => {
    if (!noiseMeasurable()) return ctx.skip('no /proc on this system');
    const { server, port } = await listen();
    try {
      expect(findListenerPid(port)).toBe(process.pid);
      // Asked for a server by name, another process on the port (here: node, as docker-proxy would be) is not taken for it.
      expect(findListenerPid(port, '/proc', /redis/)).toBeUndefined();
      expect(findListenerPid(port, '/proc', /node/)).toBe(process.pid);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(findListenerPid(port)).toBeUndefined();
  });

  it('knows loopback names', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['10.0.0.1', 'redis.example', '::2']) expect(isLoopbackHost(host)).toBe(false);
  });

  it('an external redis on loopback is tracked by pid, server_pid overrides, a remote one is named as untracked', async (ctx) => {
    if (!noiseMeasurable()) return ctx.skip('no /proc on this system');
    if (!findRedisServer()) {
      if (process.env.CI === 'true') throw new Error('redis-server is required under CI');
      return ctx.skip('redis-server is not installed here');
    }
    const directory = mkdtempSync(join(tmpdir(), 'cachebench-listener-'));
    const external = await startRedisServer({ directory });
    try {
      const found = await provisionRedis({ url: external.url }, { directory });
      expect(found.serverPid).toBe(external.pid);
      expect(found.untrackedServer).toBeUndefined();
      const given = await provisionRedis({ url: external.url, server_pid: '4242' }, { directory });
      expect(given.serverPid).toBe(4242);
      // Reached through a non-loopback name, the pid cannot be known here: named instead.
      const port = new URL(external.url).port;
      const remote = await provisionRedis(
        { url: `redis://${hostname()}:${port}`, connect_timeout: '500' },
        { directory },
      ).catch(() => undefined);
      if (remote) {
        expect(remote.serverPid).toBeUndefined();
        expect(remote.untrackedServer).toMatch(/^redis at redis:\/\/.*pid unknown; pass redis:server_pid=N/);
      }
    } finally {
      await external.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
