import { Redis } from 'ioredis';
import { BackendConnectionError, BackendTimeoutError } from '../backend.js';

/**
 * The ioredis client as the benchmark needs it: fail fast, never hide a dead
 * server. ioredis's defaults retry a lost connection forever and queue
 * commands while offline, so a killed server would look like a hang; here a
 * command either completes or rejects within `commandTimeoutMs`.
 */
export interface RedisClientOptions {
  url: string;
  keyPrefix?: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export function createRedisClient(options: RedisClientOptions): Redis {
  const client = new Redis(options.url, {
    lazyConnect: true,
    keyPrefix: options.keyPrefix,
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    // Commands issued while disconnected reject at once instead of waiting in a queue.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A few quick reconnects ride out a blip; then give up so every later command rejects.
    retryStrategy: (attempt) => (attempt > 3 ? null : 50 * attempt),
    // Never silently re-send a command the dead server may already have applied.
    autoResendUnfulfilledCommands: false,
  });
  // Without a listener ioredis prints every reconnect failure; the commands themselves report it.
  client.on('error', () => {});
  return client;
}

/** Where the client points, without a password, for messages and results. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

/**
 * Turns an ioredis failure into the contract's typed errors: a timeout, a lost
 * connection naming the server, or the server's own reply error.
 */
export function redisError(error: unknown, where: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/command timed out/i.test(message)) return new BackendTimeoutError(`redis ${where}: command timed out`);
  if (error instanceof Error && error.name === 'ReplyError') return new Error(`redis ${where}: ${message}`);
  return new BackendConnectionError(
    `redis ${where}: connection lost or refused (${message}); is the server still running?`,
  );
}
