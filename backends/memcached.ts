import { createHash } from 'node:crypto';
import type { Backend, BackendDescription, BackendFactory, BackendSpec, Capability, Value } from './backend.js';
import { MemcachedClient } from './memcached/memcached-client.js';
import { MEMCACHED_OPTIONS, parseMemcachedOptions, provisionMemcached } from './memcached/provision-memcached.js';
import { checkExpire } from './options.js';
import { packageVersion } from './package-version.js';
import { describeBackend } from './describe-backend.js';

/**
 * memcached through memjs (binary protocol). Text is stored as its UTF-8
 * bytes, so memcached's INCR works on it; bytes are stored behind a 0xFF
 * marker byte, which never begins valid UTF-8, so a get returns the type
 * that was set (memjs cannot set memcached's flags field).
 *
 * Capabilities are memcached's own: expire (whole seconds), add, incr.
 * memcached has no get-and-delete, and memjs 1.3 has no multi-get or CAS, so
 * pop and the batch operations are absent rather than emulated.
 *
 * With several servers each key goes to one of them by memjs's own choice
 * (`Client#getServer`): Java's String.hashCode of the stored key (31·h + c
 * over UTF-16 code units, 32-bit, absolute value) modulo the number of
 * servers — modulo hashing, not a consistent-hash ring, so adding a server
 * moves most keys. A dead server's keys fail (memjs's failover is off); the
 * others go on.
 */

const BYTES_MARK = 0xff;
const CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['expire', 'add', 'incr']);
const MAX_KEY_BYTES = 250; // memcached's key limit
const THIRTY_DAYS = 60 * 60 * 24 * 30; // memcached reads a larger expiry as a Unix time
const HASHING = 'memjs: Java String.hashCode(key) mod servers (modulo, not consistent hashing)';

/** The spec the parent hands to each worker. */
export interface MemcachedSpec {
  servers: string;
  prefix: string;
  /** True when this run started the server itself (flush_all is then safe). */
  private: boolean;
  serverPid: number | null;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  /** Whether clear() may flush a shared server. */
  allowFlush: boolean;
}

export class MemcachedBackend implements Backend {
  readonly name = 'memcached';
  readonly callStyle = 'async';
  readonly capabilities = CAPABILITIES;
  private client: MemcachedClient | undefined;
  /** Operations per server (index into the server list), as memjs chose the server. */
  private readonly serverOps: number[];

  constructor(
    private readonly spec: MemcachedSpec,
    readonly label = 'memcached',
  ) {
    this.serverOps = (spec.servers ?? '').split(',').map(() => 0);
  }

  async open(): Promise<void> {
    this.client = new MemcachedClient(this.spec);
    // memjs connects lazily; one request now makes a dead server fail open(), not the first timed operation.
    await this.version();
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }

  get(key: string): Promise<Value | undefined> {
    const k = this.key(key);
    return this.c()
      .request<Buffer | null>('get', (done) => this.c().raw.get(k, (error, value) => done(error, value)), k)
      .then(decode);
  }

  set(key: string, value: Value, expireSeconds?: number): Promise<boolean> {
    checkExpire(this.name, expireSeconds);
    const k = this.key(key);
    const options = { expires: toExpires(expireSeconds) };
    return this.c().request<boolean>(
      'set',
      (done) => this.c().raw.set(k, encode(value), options, (error, ok) => done(error, ok === true)),
      k,
    );
  }

  delete(key: string): Promise<boolean> {
    const k = this.key(key);
    return this.c().request<boolean>(
      'delete',
      (done) => this.c().raw.delete(k, (error, ok) => done(error, ok === true)),
      k,
    );
  }

  async clear(): Promise<void> {
    if (!this.spec.private && !this.spec.allowFlush) {
      throw new Error(
        `memcached at ${this.spec.servers}: clear() would flush every key on this shared server (memcached cannot delete by prefix); pass allow_flush=yes if that is intended`,
      );
    }
    await this.c().request<unknown>('flush', (done) => this.c().raw.flush((error, results) => done(error, results)));
  }

  add(key: string, value: Value, expireSeconds?: number): Promise<boolean> {
    checkExpire(this.name, expireSeconds);
    const k = this.key(key);
    const options = { expires: toExpires(expireSeconds) };
    return this.c().request<boolean>(
      'add',
      (done) => this.c().raw.add(k, encode(value), options, (error, ok) => done(error, ok === true)),
      k,
    );
  }

  /**
   * memcached counters are unsigned 64-bit integers: a missing key starts at
   * the delta (delta ≥ 0) or at 0, and a decrement stops at 0 instead of going
   * negative. Fractional deltas are refused.
   */
  incr(key: string, delta: number): Promise<number> {
    if (!Number.isInteger(delta))
      return Promise.reject(
        new RangeError(`memcached: incr delta must be a whole number (memcached counters are integers), got ${delta}`),
      );
    const k = this.key(key);
    const raw = this.c().raw;
    return this.c().request<number>(
      'incr',
      (done) => {
        const callback = (error: Error | null, _ok: boolean | null, value?: number | null) =>
          done(error, Number(value ?? 0));
        if (delta >= 0) raw.increment(k, delta, { initial: delta }, callback);
        else raw.decrement(k, -delta, { initial: 0 }, callback);
      },
      k,
    );
  }

  async describe(): Promise<BackendDescription> {
    const stats = await this.version();
    return describeBackend(this, {
      // memcached keeps everything in memory only.
      durability: 'never',
      version: `memcached ${stats.version ?? 'unknown'}, memjs ${packageVersion('memjs')}`,
      // A private server's address (its port) and pid differ on every run.
      instance: { servers: this.spec.servers, server_pid: this.spec.serverPid },
      settings: {
        private_server: this.spec.private,
        servers: this.serverOps.length,
        hashing: this.serverOps.length > 1 ? HASHING : 'one server',
        prefix: this.spec.prefix,
        command_timeout_ms: this.spec.commandTimeoutMs,
        limit_maxbytes: stats.limit_maxbytes === undefined ? null : Number(stats.limit_maxbytes),
        threads: stats.threads === undefined ? null : Number(stats.threads),
      },
    });
  }

  /** Operations this worker sent to each server since open (`ops_server_1` is the first listed), so the spread over servers shows; only with several servers. */
  counters(): Record<string, number> {
    if (this.serverOps.length < 2) return {};
    return Object.fromEntries(this.serverOps.map((ops, i) => [`ops_server_${i + 1}`, ops]));
  }

  // Stats of the first server to answer (version, memory limit, threads); private servers all share one configuration.
  private version(): Promise<Record<string, string>> {
    return this.c().request<Record<string, string>>('stats', (done) => {
      let answered = false;
      this.c().raw.stats((error, _server, stats) => {
        if (answered) return;
        answered = true;
        done(error, stats ?? {});
      });
    });
  }

  /**
   * memcached keys are at most 250 bytes; a longer key is stored under a
   * SHA-256 of itself. Keys that begin with `#` are hashed too, so a literal
   * key can never collide with a hashed one.
   */
  private key(key: string): string {
    const full = this.spec.prefix + key;
    const stored =
      !key.startsWith('#') && Buffer.byteLength(full) <= MAX_KEY_BYTES
        ? full
        : `${this.spec.prefix}#${createHash('sha256').update(key).digest('hex')}`;
    if (this.serverOps.length > 1 && this.client) this.serverOps[Number(this.client.raw.getServer(stored))]!++; // memjs returns the index, though its types say string
    return stored;
  }

  private c(): MemcachedClient {
    if (!this.client) throw new Error('memcached: call open() before using the backend');
    return this.client;
  }
}

function encode(value: Value): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  const out = Buffer.allocUnsafe(1 + value.byteLength);
  out[0] = BYTES_MARK;
  out.set(value, 1);
  return out;
}

function decode(raw: Buffer | null): Value | undefined {
  if (raw === null || raw === undefined) return undefined;
  return raw[0] === BYTES_MARK ? Buffer.from(raw.subarray(1)) : raw.toString('utf8');
}

// Whole seconds, rounded up so an entry never expires early; memcached reads > 30 days as an absolute time.
function toExpires(seconds: number | undefined): number {
  if (seconds === undefined) return 0;
  const whole = Math.ceil(seconds);
  return whole > THIRTY_DAYS ? Math.floor(Date.now() / 1000) + whole : whole;
}

export const memcachedFactory: BackendFactory = {
  name: 'memcached',
  summary:
    'memcached via memjs: MEMCACHED_SERVERS/MEMCACHED_URL, or a private memcached on a free loopback port (-U 0).',
  options: MEMCACHED_OPTIONS,
  validate(options) {
    parseMemcachedOptions(options);
  },
  provision: provisionMemcached,
  create(spec: BackendSpec, label) {
    // The spec is the MemcachedSpec this factory's provision produced.
    return new MemcachedBackend(spec as unknown as MemcachedSpec, label);
  },
};
