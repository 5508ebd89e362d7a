import { connect } from 'node:net';
import { findExecutable, spawnServer, type RunningServer } from './spawn-server.js';

export { findFreePort } from './free-port.js';

/**
 * A private, throw-away redis-server for one run or one test file: loopback
 * only, a free port, persistence off (`--save "" --appendonly no`) so no write
 * ever waits on a disk, and its own temp directory.
 */
export interface RedisServer extends RunningServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
}

export interface StartRedisServerOptions {
  /** Binary to run; default `redis-server` from PATH. */
  binary?: string;
  /** Working directory (dump files would go here); default a fresh temp directory removed on stop. */
  directory?: string;
  /** Extra arguments, e.g. ['--maxmemory', '100mb']. */
  extraArgs?: string[];
  /** A fixed port (a restarted cluster node); default a free one. */
  port?: number;
}

/** The redis-server binary on PATH, or undefined when it is not installed. */
export function findRedisServer(): string | undefined {
  return findExecutable('redis-server');
}

export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServer> {
  const command = options.binary ?? findRedisServer() ?? 'redis-server';
  const server = await spawnServer({
    name: 'redis-server',
    command,
    directory: options.directory,
    ...(options.port === undefined ? {} : { port: options.port }),
    args: (port, directory) => [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      directory,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
      ...(options.extraArgs ?? []),
    ],
    ready: (port) => answersPing('127.0.0.1', port),
  });
  return { ...server, url: `redis://127.0.0.1:${server.port}` };
}

/** Sends an inline PING and resolves true on `+PONG`; used for readiness without a client library's retry loop. */
export function answersPing(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
