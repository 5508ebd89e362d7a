/**
 * The shared secret between a coordinator and its agents, and the proof of it
 * each request carries. The secret never crosses the wire: the agent hands out
 * a single-use random nonce, and the coordinator answers with an HMAC-SHA256
 * over the nonce, the method, the path and the body's hash. A captured request
 * cannot be replayed (its nonce is spent) or altered (its MAC covers the body).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AgentError } from './agent-error.js';

/** The environment variable both sides read the secret from when no file is given. */
export const SECRET_ENV = 'CACHEBENCH_AGENT_SECRET';
/** Shorter secrets are refused: guessable by brute force against an HMAC. */
export const MIN_SECRET_LENGTH = 16;
const NONCE_TTL_MS = 30_000;
/** Outstanding nonces an agent keeps at most, so unauthenticated callers cannot grow its memory. */
const MAX_NONCES = 256;

export const NONCE_HEADER = 'x-cachebench-nonce';
export const MAC_HEADER = 'x-cachebench-mac';

/** 32 random bytes, base64url: what `cachebench agent` prints when it is given no secret. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The secret from `file` (first line), else from the environment; undefined when neither gives one. */
export function readSecret(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let secret: string | undefined;
  let source: string;
  if (file !== undefined) {
    try {
      secret = readFileSync(file, 'utf8').split('\n')[0]!.trim();
    } catch (error) {
      throw new AgentError(
        'AGENT_SECRET_INVALID',
        `secret file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    source = `secret file ${file}`;
  } else {
    secret = env[SECRET_ENV]?.trim();
    if (!secret) return undefined;
    source = SECRET_ENV;
  }
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new AgentError(
      'AGENT_SECRET_INVALID',
      `${source}: the secret has ${secret.length} characters, fewer than ${MIN_SECRET_LENGTH}; use the one \`cachebench agent\` prints, or e.g. \`openssl rand -base64 32\``,
    );
  }
  return secret;
}

/** The MAC a request carries: over everything the agent acts on. */
export function requestMac(secret: string, nonce: string, method: string, path: string, body: Buffer | string): string {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return createHmac('sha256', secret)
    .update(`cachebench-agent/1\n${method}\n${path}\n${nonce}\n${bodyHash}`)
    .digest('hex');
}

/** The agent's side: nonces it handed out, and the check of a request's MAC. */
export class NonceBook {
  private readonly issued = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(): string {
    const now = this.now();
    for (const [nonce, expires] of this.issued) if (expires <= now) this.issued.delete(nonce);
    if (this.issued.size >= MAX_NONCES)
      throw new AgentError(
        'AGENT_BUSY',
        `${MAX_NONCES} challenges are outstanding; try again in ${NONCE_TTL_MS / 1000} s`,
      );
    const nonce = randomBytes(24).toString('base64url');
    this.issued.set(nonce, now + NONCE_TTL_MS);
    return nonce;
  }

  /** Spends the nonce whatever the outcome, so each one proves at most one request. */
  spend(nonce: string | undefined): void {
    const expires = nonce === undefined ? undefined : this.issued.get(nonce);
    if (nonce !== undefined) this.issued.delete(nonce);
    if (expires === undefined || expires <= this.now()) {
      throw new AgentError(
        'AGENT_AUTH_REFUSED',
        'refused: the request carries no challenge this agent issued (or it expired or was used); fetch GET /nonce first',
      );
    }
  }
}

/** Compares in constant time (for equal lengths; a length differs only for a malformed MAC). */
export function verifyMac(
  secret: string,
  nonce: string,
  method: string,
  path: string,
  body: Buffer,
  mac: string | undefined,
): void {
  const expected = Buffer.from(requestMac(secret, nonce, method, path, body), 'hex');
  const given = Buffer.from(typeof mac === 'string' && /^[0-9a-f]{64}$/.test(mac) ? mac : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AgentError(
      'AGENT_AUTH_REFUSED',
      "refused: wrong secret (the request's HMAC does not match); give the coordinator the secret this agent printed, with --agent-secret-file or CACHEBENCH_AGENT_SECRET",
    );
  }
}
