import { createServer } from 'node:net';
import { afterEach, expect, it, vi } from 'vitest';
import { findFreePort } from '../../backends/servers/redis-server.js';
import { serverBinary } from '../helpers/servers.js';

const savedCi = process.env.CI;
afterEach(() => {
  if (savedCi === undefined) delete process.env.CI;
  else process.env.CI = savedCi;
  vi.restoreAllMocks();
});

it('a missing server binary is a visible skip locally, naming how to install it', () => {
  delete process.env.CI;
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const result = serverBinary('no-such-server-binary', 'apt-get install no-such-server');
  expect(result.available).toBe(false);
  expect(result.reason).toContain('apt-get install no-such-server');
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('SKIPPED'));
});

it('a missing server binary fails under CI=true', () => {
  process.env.CI = 'true';
  expect(() => serverBinary('no-such-server-binary', 'apt-get install no-such-server')).toThrow(/CI=true/);
});

it('an installed binary is found with its path', () => {
  const result = serverBinary('node', 'n/a');
  expect(result.available).toBe(true);
  expect(result.binary).toMatch(/\/node$/);
});

it('findFreePort returns a loopback port that can be bound', async () => {
  const port = await findFreePort();
  expect(port).toBeGreaterThan(0);
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  expect((server.address() as { port: number }).port).toBe(port);
  await new Promise((resolve) => server.close(resolve));
});
