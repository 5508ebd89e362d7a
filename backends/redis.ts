import type { Redis } from 'ioredis';
import type { Backend, BackendDescription, BackendFactory, BackendSpec, Value } from './backend.js';
import { parseRedisOptions, provisionRedis, REDIS_OPTIONS } from './redis/provision-redis.js';
import { createRedisClient, redactUrl } from './redis/redis-client.js';
import { describeBackend } from './describe-backend.js';
import { durabilityOf, ioredisVersion, readConfig } from './redis/redis-config.js';
import { decodeValue as decode, encodeValue as encode } from './redis/redis-value.js';
import { RedisKeyCommands } from './redis/redis-key-commands.js';

export interface RedisSpec {
  url: string;
  prefix: string;
  /** True when this run started the server itself (FLUSHDB is then safe). */
  private: boolean;
  /** The private server's pid, for diagnostics; null for a server given by URL. */
  serverPid: number | null;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

/** Redis through ioredis; values are stored as redis/redis-value.ts says. */
export class RedisBackend extends RedisKeyCommands implements Backend {
  readonly name = 'redis';
  protected readonly client: Redis;
  protected readonly where: string;

  constructor(
    private readonly spec: RedisSpec,
    readonly label = 'redis',
  ) {
    super();
    this.client = createRedisClient({
      url: spec.url,
      keyPrefix: spec.prefix,
      connectTimeoutMs: spec.connectTimeoutMs,
      commandTimeoutMs: spec.commandTimeoutMs,
    });
    this.where = `at ${redactUrl(spec.url)}`;
  }

  async clear(): Promise<void> {
    if (this.spec.private) {
      await this.client.flushdb().catch(this.fail);
      return;
    }
    // A shared server (REDIS_URL): remove only this run's prefix, never other data.
    let cursor = '0';
    do {
      const [next, keys] = await this.client
        .scan(cursor, 'MATCH', `${this.spec.prefix}*`, 'COUNT', 1000)
        .catch(this.fail);
      // keyPrefix is added again to UNLINK's arguments, so strip it from SCAN's answer.
      if (keys.length) await this.client.unlink(...keys.map((k) => k.slice(this.spec.prefix.length))).catch(this.fail);
      cursor = next;
    } while (cursor !== '0');
  }

  /** The client adds the prefix itself (ioredis keyPrefix). */
  protected wireKey(key: string): string {
    return key;
  }

  getMany(keys: readonly string[]): Promise<(Value | undefined)[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.client.mgetBuffer(...keys).then((values) => values.map(decode), this.fail);
  }

  setMany(entries: readonly (readonly [string, Value])[]): Promise<number> {
    if (entries.length === 0) return Promise.resolve(0);
    const flat = entries.flatMap(([key, value]) => [key, encode(value)]);
    return this.client.mset(...flat).then(() => entries.length, this.fail);
  }

  deleteMany(keys: readonly string[]): Promise<number> {
    if (keys.length === 0) return Promise.resolve(0);
    return this.client.del(...keys).then((n) => n, this.fail);
  }

  async describe(): Promise<BackendDescription> {
    const info = await this.client.info('server').catch(this.fail);
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    const config = await readConfig(this.client);
    return describeBackend(this, {
      durability: durabilityOf(config),
      version: `Redis ${version}, ioredis ${ioredisVersion()}`,
      // A private server's URL (its port) and pid differ on every run.
      instance: { url: redactUrl(this.spec.url), server_pid: this.spec.serverPid },
      settings: {
        private_server: this.spec.private,
        prefix: this.spec.prefix,
        command_timeout_ms: this.spec.commandTimeoutMs,
        ...config,
      },
    });
  }
}

export const redisFactory: BackendFactory = {
  name: 'redis',
  summary:
    'Redis via ioredis: REDIS_URL, or a private redis-server started on a free loopback port with persistence off.',
  options: REDIS_OPTIONS,
  validate(options) {
    parseRedisOptions(options);
  },
  provision: provisionRedis,
  create(spec: BackendSpec, label) {
    // The spec is the RedisSpec this factory's provision produced.
    return new RedisBackend(spec as unknown as RedisSpec, label);
  },
};
