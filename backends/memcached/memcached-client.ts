import memjs from 'memjs';
import { BackendConnectionError, BackendTimeoutError } from '../backend.js';

/**
 * memjs as the benchmark needs it: fail fast, never hang on a dead server.
 *
 * memjs retries a failed request (default twice, 200 ms apart) and, when a
 * server closes its socket cleanly (memcached killed), leaves the requests
 * in flight on that socket waiting for a reply that never comes. Here memjs
 * gets one attempt, and a watchdog rejects any request older than
 * `commandTimeoutMs` with a BackendTimeoutError; the next request then finds
 * the server refusing connections and fails at once with a
 * BackendConnectionError naming the server.
 */
export interface MemcachedClientOptions {
  /** `host:port[,host:port...]` */
  servers: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

type Callback<T> = (error: Error | null, result: T) => void;

interface Pending {
  deadline: number;
  fail(error: Error): void;
}

const SILENT = { log: () => {} };

export class MemcachedClient {
  readonly raw: memjs.Client;
  private readonly pending = new Set<Pending>();
  private watchdog: NodeJS.Timeout | undefined;

  constructor(private readonly options: MemcachedClientOptions) {
    this.raw = memjs.Client.create(options.servers, {
      retries: 1,
      failover: false,
      timeout: options.commandTimeoutMs / 1000,
      conntimeout: options.connectTimeoutMs / 1000,
      // memjs logs every failed request to the console; the errors reach the caller instead.
      logger: SILENT,
    });
  }

  /**
   * Issues one memjs call with a node-style callback and settles within the
   * command timeout. `key`: the stored key, so a failure names the one server
   * memjs sent it to rather than the whole list.
   */
  request<T>(what: string, issue: (done: Callback<T>) => void, key?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const entry: Pending = {
        deadline: Date.now() + this.options.commandTimeoutMs,
        fail: (error) => {
          if (settled) return;
          settled = true;
          this.pending.delete(entry);
          reject(error);
        },
      };
      this.pending.add(entry);
      this.arm();
      issue((error, result) => {
        if (settled) return;
        settled = true;
        this.pending.delete(entry);
        if (error) reject(this.translate(error, what, key));
        else resolve(result);
      });
    });
  }

  /** `host:port` of the server memjs chooses for a stored key. */
  serverOf(key: string): string {
    const server = this.raw.servers[Number(this.raw.getServer(key))]; // memjs returns the index, though its types say string
    return server ? `${server.host}:${server.port}` : this.options.servers;
  }

  close(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
    for (const entry of [...this.pending])
      entry.fail(new BackendConnectionError(`memcached at ${this.options.servers}: client closed`));
    this.raw.close();
  }

  /** Turns a memjs failure into the contract's typed errors; a server's refusal (too large, not a number) stays a plain error. */
  translate(error: unknown, what: string, key?: string): Error {
    const message = error instanceof Error ? error.message : String(error);
    const where = `memcached at ${key === undefined ? this.options.servers : this.serverOf(key)}`;
    if (/timed out/i.test(message))
      return new BackendTimeoutError(`${where}: ${what} timed out after ${this.options.commandTimeoutMs} ms`);
    if (/^MemJS /.test(message)) return new Error(`${where}: ${what}: ${message.replace(/^MemJS \w+: /, '')}`);
    return new BackendConnectionError(
      `${where}: connection lost or refused (${message}); is the server still running?`,
    );
  }

  // One timer for all requests, only while some are in flight, and never keeping the process alive.
  private arm(): void {
    if (this.watchdog) return;
    const every = Math.max(20, Math.min(250, this.options.commandTimeoutMs / 4));
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const entry of [...this.pending]) {
        if (entry.deadline <= now)
          entry.fail(
            new BackendTimeoutError(
              `memcached at ${this.options.servers}: no reply within ${this.options.commandTimeoutMs} ms`,
            ),
          );
      }
      if (this.pending.size === 0) {
        clearInterval(this.watchdog);
        this.watchdog = undefined;
      }
    }, every);
    this.watchdog.unref();
  }
}
