import { connect } from 'node:net';
import { userInfo } from 'node:os';
import { findExecutable, spawnServer, type RunningServer } from './spawn-server.js';

export { findFreePort } from './free-port.js';

/**
 * A private, throw-away memcached for one run or one test file: loopback only
 * (`-l 127.0.0.1`), TCP on a free port, UDP off (`-U 0`), started directly so
 * its pid is the server's own and stopping it by pid really stops it.
 */
export interface MemcachedServer extends RunningServer {
  /** `127.0.0.1:<port>`, the form memcached clients take. */
  servers: string;
}

export interface StartMemcachedOptions {
  /** Binary to run; default `memcached` from PATH. */
  binary?: string;
  /** Working directory; default a fresh temp directory removed on stop. */
  directory?: string;
  /** Cache memory in MiB (`-m`); default 64, memcached's own default. */
  memoryMiB?: number;
  /** Largest item in bytes (`-I`); default 4 MiB so 1 MiB values and their key fit (memcached's own default is 1 MiB). */
  itemSizeMax?: number;
  extraArgs?: string[];
}

/** The memcached binary on PATH, or undefined when it is not installed. */
export function findMemcached(): string | undefined {
  return findExecutable('memcached');
}

export async function startMemcached(options: StartMemcachedOptions = {}): Promise<MemcachedServer> {
  const command = options.binary ?? findMemcached() ?? 'memcached';
  const server = await spawnServer({
    name: 'memcached',
    command,
    directory: options.directory,
    args: (port) => [
      '-l',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      '0',
      '-m',
      String(options.memoryMiB ?? 64),
      '-I',
      `${Math.ceil((options.itemSizeMax ?? 4 * 2 ** 20) / 1024)}k`,
      // memcached refuses to start as root unless told which user to run as.
      ...(process.getuid?.() === 0 ? ['-u', userInfo().username] : []),
      ...(options.extraArgs ?? []),
    ],
    ready: (port) => memcachedVersion('127.0.0.1', port).then((version) => version !== undefined),
  });
  return { ...server, servers: `127.0.0.1:${server.port}` };
}

/**
 * Sends the text-protocol `version` command (memcached accepts text and binary
 * on one port) and resolves the version, or undefined when nothing answers.
 * Used for readiness and to check a given server without a client's retry loop.
 */
export function memcachedVersion(host: string, port: number, timeoutMs = 1_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = (version: string | undefined) => {
      socket.destroy();
      resolve(version);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write('version\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(/^VERSION (\S+)/.exec(reply)?.[1]);
    });
  });
}
