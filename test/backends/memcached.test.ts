import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend, Provisioned } from '../../backends/backend.js';
import { readFileSync } from 'node:fs';
import { MemcachedBackend, memcachedFactory, type MemcachedSpec } from '../../backends/memcached.js';
import { normaliseServers } from '../../backends/memcached/provision-memcached.js';
import { findFreePort, startMemcached } from '../../backends/servers/memcached-server.js';
import { memcachedBinary } from '../helpers/servers.js';

const memcached = memcachedBinary();
let root: string;
const saved = { servers: process.env.MEMCACHED_SERVERS, url: process.env.MEMCACHED_URL };
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'cachebench-memcached-'));
  delete process.env.MEMCACHED_SERVERS;
  delete process.env.MEMCACHED_URL;
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  if (saved.servers !== undefined) process.env.MEMCACHED_SERVERS = saved.servers;
  if (saved.url !== undefined) process.env.MEMCACHED_URL = saved.url;
});

describe('memcached provisioning', () => {
  it('is unavailable with a one-line hint when no server is given and no binary is on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      const attempt = memcachedFactory.provision({}, { directory: root });
      await expect(attempt).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
      await expect(attempt).rejects.toThrow(/docker compose up -d memcached.*apt-get install memcached/);
    } finally {
      process.env.PATH = path;
    }
  });

  it('a given server that does not answer makes it unavailable, naming the server', async () => {
    const port = await findFreePort();
    process.env.MEMCACHED_URL = `memcached://127.0.0.1:${port}`;
    try {
      await expect(memcachedFactory.provision({ connect_timeout: '300' }, { directory: root })).rejects.toThrow(
        new RegExp(`127\\.0\\.0\\.1:${port} does not answer`),
      );
    } finally {
      delete process.env.MEMCACHED_URL;
    }
  });

  it('accepts server lists with or without scheme and port, separated by commas, + or ;', () => {
    expect(normaliseServers('memcached://a:1, b')).toBe('a:1,b:11211');
    expect(normaliseServers('a:1+b:2;c')).toBe('a:1,b:2,c:11211');
    expect(() => normaliseServers(' , ')).toThrow(/no server/);
  });
});

describe('memcached servers=N', () => {
  it('refuses servers=0, naming the option', () => {
    expect(() => memcachedFactory.validate!({ servers: '0' })).toThrow(/servers="0" must start at least 1 server/);
  });

  it.skipIf(!memcached.available)(
    "servers=3 starts three private servers, spreads keys by Java's String.hashCode mod 3, and stops all three",
    async () => {
      const provisioned = await memcachedFactory.provision(
        { servers: '3', prefix: '' },
        { directory: mkdtempSync(join(root, 'three-')) },
      );
      const addresses = String(provisioned.spec.servers).split(',');
      const pids = [provisioned.serverPid!, ...(provisioned.serverPids ?? [])];
      expect(addresses).toHaveLength(3);
      expect(new Set(pids).size).toBe(3);
      const backend = memcachedFactory.create(JSON.parse(JSON.stringify(provisioned.spec)), 'memcached:servers=3');
      await backend.open();
      try {
        const description = await backend.describe();
        expect(description.settings).toMatchObject({
          servers: 3,
          hashing: expect.stringMatching(/String\.hashCode.*mod servers.*modulo/),
        });
        // The server each key should land on, computed by Java itself (fixtures/java-string-hash).
        const expected = JSON.parse(
          readFileSync(new URL('./fixtures/java-string-hash/servers.json', import.meta.url), 'utf8'),
        ) as [string, number][];
        for (const [key] of expected) await backend.set(key, `v:${key}`);
        const single = await Promise.all(
          addresses.map(async (servers) => {
            const one = new MemcachedBackend({ ...(provisioned.spec as unknown as MemcachedSpec), servers }, 'one');
            await one.open();
            return one;
          }),
        );
        for (const [key, server] of expected) {
          const holders = await Promise.all(single.map((one) => one.get(key)));
          expect(
            holders.map((v) => v !== undefined),
            key,
          ).toEqual([0, 1, 2].map((i) => i === server));
        }
        for (const one of single) one.close();
        // Per-server operation counts follow the same choice.
        const counts = backend.counters!() as Record<string, number>;
        expect([1, 2, 3].map((n) => counts[`ops_server_${n}`])).toEqual(
          [0, 1, 2].map((i) => expected.filter(([, s]) => s === i).length),
        );
      } finally {
        await backend.close();
        await provisioned.teardown();
      }
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    },
  );
});

describe.skipIf(!memcached.available)(
  `memcached with a real server${memcached.available ? '' : ` (skipped: ${memcached.reason})`}`,
  () => {
    async function provisionOpen(
      options: Record<string, string> = {},
    ): Promise<{ backend: Backend; provisioned: Provisioned }> {
      const provisioned = await memcachedFactory.provision(options, { directory: mkdtempSync(join(root, 'server-')) });
      const backend = memcachedFactory.create(JSON.parse(JSON.stringify(provisioned.spec)), 'memcached');
      await backend.open();
      return { backend, provisioned };
    }

    it('starts a private loopback server, describes it, and stops it by pid', async () => {
      const { backend, provisioned } = await provisionOpen();
      const description = await backend.describe();
      expect(description.durability).toBe('never');
      expect(description.version).toMatch(/^memcached \d+\.\d+\.\d+, memjs \d/);
      expect(description.instance?.servers).toMatch(/^127\.0\.0\.1:\d+$/);
      const pid = provisioned.spec.serverPid as number;
      expect(() => process.kill(pid, 0)).not.toThrow();
      await backend.close();
      await provisioned.teardown();
      expect(() => process.kill(pid, 0)).toThrow();
    });

    it('a server given by MEMCACHED_SERVERS is shared: keys carry the prefix and clear() refuses to flush it', async () => {
      const server = await startMemcached();
      process.env.MEMCACHED_SERVERS = server.servers;
      try {
        const { backend, provisioned } = await provisionOpen({ prefix: 'run-a:' });
        expect(provisioned.spec.private).toBe(false);
        await backend.set('k', 'from a');
        const other = await provisionOpen({ prefix: 'run-b:' });
        expect(await other.backend.get('k')).toBeUndefined();
        await expect(backend.clear()).rejects.toThrow(/allow_flush=yes/);
        await backend.close();
        await other.backend.close();
      } finally {
        delete process.env.MEMCACHED_SERVERS;
        await server.stop();
      }
    });

    it('keys longer than 250 bytes and keys starting with # are hashed without colliding', async () => {
      const { backend, provisioned } = await provisionOpen();
      const long = 'x'.repeat(300);
      await backend.set(long, 'long');
      await backend.set(`${long}y`, 'longer');
      await backend.set('#literal', 'hash-looking');
      expect(await backend.get(long)).toBe('long');
      expect(await backend.get(`${long}y`)).toBe('longer');
      expect(await backend.get('#literal')).toBe('hash-looking');
      await backend.close();
      await provisioned.teardown();
    });

    it('incr follows memcached: whole deltas only, decrements stop at 0', async () => {
      const { backend, provisioned } = await provisionOpen();
      expect(await backend.incr!('n', 5)).toBe(5);
      expect(await backend.incr!('n', -7)).toBe(0);
      await expect(backend.incr!('n', 0.5)).rejects.toThrow(/whole number/);
      await backend.close();
      await provisioned.teardown();
    });

    it('fails fast when the server dies: requests reject with typed errors instead of hanging', async () => {
      const { backend, provisioned } = await provisionOpen({ command_timeout: '500' });
      await backend.set('k', 'v');
      process.kill(provisioned.spec.serverPid as number, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const codes: string[] = [];
      for (let i = 0; i < 3; i++) {
        const error = await Promise.resolve(backend.get('k')).then(
          () => undefined,
          (e: { code?: string }) => e,
        );
        codes.push(error?.code ?? 'no error');
      }
      for (const code of codes) expect(['BACKEND_CONNECTION', 'BACKEND_TIMEOUT']).toContain(code);
      expect(codes.at(-1)).toBe('BACKEND_CONNECTION');
      await backend.close();
      await provisioned.teardown();
    });
  },
);
