import { createServer } from 'node:net';

/**
 * Asks the OS for a free loopback TCP port by binding port 0 and closing.
 * Another process may take it before the caller binds it, so callers that
 * start a server retry on "address in use" (see startRedisServer).
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('findFreePort: the OS returned no port'))));
    });
  });
}
