import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './spawn-cli.js';

// A server the user pointed at that does not answer: a real connection to a loopback port nothing listens on.
const dir = mkdtempSync(join(tmpdir(), 'cachebench-unreachable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let closedPort = 0;
beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((done) => server.close(done));
});

const quick = ['-p', '1', '-n', '50', '-w', '0', '-q', '--no-report'];

describe('a server the user named that does not answer', () => {
  it('alone: one line naming REDIS_URL, exit 1, no empty results file', async () => {
    const url = `redis://127.0.0.1:${closedPort}`;
    const out = join(dir, 'alone.json');
    const { code, stdout, stderr } = await runCli(['run', 'talk', '-b', 'redis', ...quick, '-o', out], dir, {
      REDIS_URL: url,
      NO_COLOR: '1',
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^error: redis: REDIS_URL=${url} does not answer \\(.*\\); start that server, or unset REDIS_URL for a private redis-server$`,
        ),
      ),
    ]);
    expect(existsSync(out)).toBe(false);
  });

  it('beside a backend that runs: said once, at the top of the summary, with no empty table', async () => {
    const url = `redis://127.0.0.1:${closedPort}`;
    const { code, stdout } = await runCli(
      ['run', 'talk', '-b', 'redis,memory', ...quick, '-o', join(dir, 'beside.json')],
      dir,
      { REDIS_URL: url, NO_COLOR: '1' },
    );
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^talk: 1 process × 50 ops/);
    expect(lines[2]).toMatch(new RegExp(`^not run: redis: REDIS_URL=${url} does not answer`));
    expect(stdout.split('does not answer')).toHaveLength(2);
    expect(stdout).not.toContain('Timings for redis');
    expect(stdout).toContain('Timings for memory');
  });
});

describe('an unparseable server address is a usage error', () => {
  it.each([
    [
      { REDIS_URL: 'notaurl' },
      'redis',
      /^error: redis: REDIS_URL=notaurl is not a Redis URL; give redis:\/\/host:port/,
    ],
    [
      { MEMCACHED_SERVERS: '::::' },
      'memcached',
      /^error: memcached: MEMCACHED_SERVERS=:::: is not a server list; give host:port/,
    ],
    [
      { MEMCACHED_SERVERS: 'localhost:99999' },
      'memcached',
      /^error: memcached: MEMCACHED_SERVERS=localhost:99999 is not a server list/,
    ],
  ])('%j: exit 2 before anything runs', async (env, backend, pattern) => {
    const out = join(dir, `bad-${backend}`);
    const { code, stderr } = await runCli(['run', 'talk', '-b', backend, ...quick, '-o', out], dir, env);
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  });
});
