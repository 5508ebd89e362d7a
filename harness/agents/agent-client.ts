/**
 * The coordinator's side of one agent: signed JSON requests over node:http,
 * answers capped at MAX_RESPONSE_BYTES, every failure an AgentError naming
 * the agent.
 */
import { Agent, request as httpRequest } from 'node:http';
import { AgentError, isAgentErrorCode } from './agent-error.js';
import { MAC_HEADER, NONCE_HEADER, requestMac } from './agent-auth.js';
import { MAX_RESPONSE_BYTES } from './agent-protocol.js';

const hrtime = process.hrtime.bigint;

/** `HOST:PORT` (IPv6 in brackets: `[::1]:7420`). */
export function parseAgentAddress(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535)
    throw new AgentError(
      'AGENT_MESSAGE_MALFORMED',
      `agent address "${text}": expected HOST:PORT, e.g. 10.0.0.5:7420 or [::1]:7420`,
    );
  return { host: match[1] ?? match[2]!, port };
}

export class AgentClient {
  readonly host: string;
  readonly port: number;
  // Kept-alive sockets: the clock's round trips then measure the network, not a TCP handshake.
  private readonly pool = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(
    readonly address: string,
    private readonly secret: string,
  ) {
    ({ host: this.host, port: this.port } = parseAgentAddress(address));
  }

  /** A signed POST; resolves to the agent's JSON answer. */
  async call<T>(path: string, body: unknown, timeoutMs = 30_000): Promise<T> {
    const nonce = await this.nonce(timeoutMs);
    return (await this.post(path, body, nonce, timeoutMs)).value as T;
  }

  /** One clock sample: this host's hrtime before and after, the agent's between. */
  async clockSample(): Promise<{ sentNs: bigint; agentNs: bigint; receivedNs: bigint }> {
    const nonce = await this.nonce(10_000);
    const sentNs = hrtime();
    const { value } = await this.post('/clock', {}, nonce, 10_000);
    const receivedNs = hrtime();
    const agentNs = (value as { agentNs?: unknown }).agentNs;
    if (typeof agentNs !== 'string' || !/^-?\d+$/.test(agentNs))
      throw new AgentError('AGENT_MESSAGE_MALFORMED', `agent ${this.address}: its clock answer holds no agentNs`);
    return { sentNs, agentNs: BigInt(agentNs), receivedNs };
  }

  close(): void {
    this.pool.destroy();
  }

  private async nonce(timeoutMs: number): Promise<string> {
    const { value } = await this.exchange('GET', '/nonce', undefined, {}, timeoutMs);
    const nonce = (value as { nonce?: unknown }).nonce;
    if (typeof nonce !== 'string')
      throw new AgentError(
        'AGENT_MESSAGE_MALFORMED',
        `agent ${this.address}: GET /nonce gave no nonce; is this a cachebench agent?`,
      );
    return nonce;
  }

  private post(path: string, body: unknown, nonce: string, timeoutMs: number): Promise<{ value: unknown }> {
    const text = JSON.stringify(body);
    const headers = {
      'content-type': 'application/json',
      [NONCE_HEADER]: nonce,
      [MAC_HEADER]: requestMac(this.secret, nonce, 'POST', path, text),
    };
    return this.exchange('POST', path, text, headers, timeoutMs);
  }

  private exchange(
    method: string,
    path: string,
    text: string | undefined,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<{ value: unknown }> {
    return new Promise((resolve, reject) => {
      const fail = (code: ConstructorParameters<typeof AgentError>[0], message: string): void =>
        reject(new AgentError(code, `agent ${this.address}: ${message}`));
      const request = httpRequest(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          headers: text === undefined ? headers : { ...headers, 'content-length': Buffer.byteLength(text) },
          agent: this.pool,
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              response.destroy();
              fail('AGENT_MESSAGE_TOO_LARGE', `its answer passed ${MAX_RESPONSE_BYTES} bytes; refused`);
            } else chunks.push(chunk);
          });
          response.on('error', (error) => fail('AGENT_UNREACHABLE', `the connection broke (${error.message})`));
          response.on('end', () => {
            let value: unknown;
            try {
              value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              return fail(
                'AGENT_MESSAGE_MALFORMED',
                `${method} ${path} answered ${response.statusCode} with a body that is not JSON; is this a cachebench agent?`,
              );
            }
            if (response.statusCode !== undefined && response.statusCode >= 200 && response.statusCode < 300)
              return resolve({ value });
            const error = (value as { error?: { code?: unknown; message?: unknown } }).error;
            const code = isAgentErrorCode(error?.code) ? error.code : 'AGENT_MESSAGE_MALFORMED';
            fail(
              code,
              typeof error?.message === 'string' ? error.message : `${method} ${path} answered ${response.statusCode}`,
            );
          });
        },
      );
      request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      request.on('error', (error: NodeJS.ErrnoException) =>
        fail(
          'AGENT_UNREACHABLE',
          `${error.code === 'ECONNREFUSED' ? 'nothing listens there (is `cachebench agent` running?)' : error.message}`,
        ),
      );
      request.end(text);
    });
  }
}
