import type { Cluster, Redis } from 'ioredis';
import type { Capability, Value } from '../backend.js';
import { checkExpire } from '../options.js';
import { redisError } from './redis-client.js';
import { decodeValue as decode, encodeValue as encode, expireMs } from './redis-value.js';

export const REDIS_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'expire',
  'incr',
  'pop',
  'add',
  'getMany',
  'setMany',
  'deleteMany',
]);

/**
 * The single-key commands `redis` and `redis-cluster` issue alike, through one ioredis client (a `Redis` or a
 * `Cluster`): connecting and closing, get, set, delete, incr, pop and add. A subclass says where the client
 * points (`where`, for error messages) and which key a user key becomes on the wire (`wireKey`: a cluster
 * backend prefixes and counts it itself, a single server's client adds the prefix).
 */
export abstract class RedisKeyCommands {
  readonly callStyle = 'async';
  readonly capabilities = REDIS_CAPABILITIES;
  protected abstract readonly client: Redis | Cluster;
  protected abstract readonly where: string;
  abstract readonly name: string;
  protected readonly fail = (error: unknown): never => {
    throw redisError(error, this.where);
  };

  protected abstract wireKey(key: string): string;

  async open(): Promise<void> {
    await this.client.connect().catch(this.fail);
  }

  async close(): Promise<void> {
    // quit() waits for every server's reply; with a dead one that would hang, so disconnect.
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }

  get(key: string): Promise<Value | undefined> {
    return this.client.getBuffer(this.wireKey(key)).then(decode, this.fail);
  }

  set(key: string, value: Value, expireSeconds?: number): Promise<boolean> {
    checkExpire(this.name, expireSeconds);
    const k = this.wireKey(key);
    const request =
      expireSeconds === undefined
        ? this.client.set(k, encode(value))
        : this.client.set(k, encode(value), 'PX', expireMs(expireSeconds));
    return request.then((reply) => reply === 'OK', this.fail);
  }

  delete(key: string): Promise<boolean> {
    return this.client.del(this.wireKey(key)).then((n) => n > 0, this.fail);
  }

  incr(key: string, delta: number): Promise<number> {
    const k = this.wireKey(key);
    const request = Number.isInteger(delta) ? this.client.incrby(k, delta) : this.client.incrbyfloat(k, delta);
    return request.then((n) => Number(n), this.fail);
  }

  pop(key: string): Promise<Value | undefined> {
    return this.client.getdelBuffer(this.wireKey(key)).then(decode, this.fail);
  }

  add(key: string, value: Value, expireSeconds?: number): Promise<boolean> {
    checkExpire(this.name, expireSeconds);
    const k = this.wireKey(key);
    const request =
      expireSeconds === undefined
        ? this.client.set(k, encode(value), 'NX')
        : this.client.set(k, encode(value), 'PX', expireMs(expireSeconds), 'NX');
    return request.then((reply) => reply === 'OK', this.fail);
  }
}
