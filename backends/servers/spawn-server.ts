import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { killOnExit } from './child-cleanup.js';
import { findFreePort } from './free-port.js';
import { CachebenchError } from '../../shared/cachebench-error.js';

/**
 * Starts a private server process on a free loopback port and waits until it
 * answers. Shared by the redis, redis-cluster and memcached launchers: each
 * supplies its command line and a readiness probe.
 *
 * The child is spawned directly (no shell), so `pid` is the server's own pid
 * and stopping it by pid really stops it.
 */
export interface SpawnServerOptions {
  /** For messages, e.g. `redis-server`. */
  name: string;
  /** Executable path or a name looked up on PATH. */
  command: string;
  /** Command-line arguments for a given port and working directory. */
  args(port: number, directory: string): string[];
  /** Resolves true once the server answers on the port. */
  ready(port: number): Promise<boolean>;
  /** Working directory; a fresh temp directory (removed on stop) when omitted. */
  directory?: string;
  /** How long to wait for readiness; default 10 s. */
  startTimeoutMs?: number;
  /** Ports to try when the chosen one is taken between finding and binding; default 3. */
  attempts?: number;
  /** A fixed port instead of a free one (restarting a cluster node where its peers expect it); tried once. */
  port?: number;
}

export interface RunningServer {
  host: string;
  port: number;
  pid: number;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s) and removes its temp directory. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the process exits, for whatever reason. */
  readonly exited: Promise<void>;
}

export class ServerStartError extends CachebenchError<'SERVER_START'> {
  constructor(message: string) {
    super('SERVER_START', message);
  }
}

/** The absolute path of an executable on PATH, or undefined. */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of path.split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

export async function spawnServer(options: SpawnServerOptions): Promise<RunningServer> {
  const attempts = options.port === undefined ? (options.attempts ?? 3) : 1;
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), `cachebench-${options.name}-`));
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    try {
      return await startOnce(options, directory, ownDirectory);
    } catch (error) {
      lastError = error;
      // Only a lost port race is worth another try; anything else will fail again.
      if (!(error instanceof ServerStartError && /address already in use/i.test(error.message))) break;
    }
  }
  if (ownDirectory) rmSync(directory, { recursive: true, force: true });
  throw lastError;
}

async function startOnce(
  options: SpawnServerOptions,
  directory: string,
  ownDirectory: boolean,
): Promise<RunningServer> {
  const host = '127.0.0.1';
  const port = options.port ?? (await findFreePort(host));
  const child = spawn(options.command, options.args(port, directory), {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 20) output.shift();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));
  const unregister = child.pid === undefined ? () => {} : killOnExit(child.pid);

  const fail = async (why: string): Promise<never> => {
    await stopChild(child, exited);
    unregister();
    const tail = output.join('').trim().split('\n').slice(-3).join(' | ');
    throw new ServerStartError(`${options.name} on port ${port} ${why}${tail ? `: ${tail}` : ''}`);
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  let ready = false;
  while (!ready) {
    const outcome = await Promise.race([
      exited.then(() => 'exited' as const),
      spawnFailed.then((error) => error),
      delay(25).then(() => 'tick' as const),
    ]);
    if (outcome instanceof Error) return fail(`could not be started (${outcome.message})`);
    if (outcome === 'exited') return fail(`exited with code ${child.exitCode ?? child.signalCode}`);
    ready = await options.ready(port).catch(() => false);
    if (!ready && Date.now() > deadline) return fail(`did not answer within ${options.startTimeoutMs ?? 10_000} ms`);
  }

  let stopped: Promise<void> | undefined;
  return {
    host,
    port,
    pid: child.pid!,
    exited,
    stop() {
      stopped ??= (async () => {
        await stopChild(child, exited);
        unregister();
        if (ownDirectory) rmSync(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
