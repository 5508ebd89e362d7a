/**
 * `cachebench agent`'s HTTP server (node:http, JSON bodies). Every route but
 * GET /nonce needs a request signed with the shared secret (agent-auth.ts);
 * bodies are capped at MAX_REQUEST_BYTES and schema-checked before use.
 * Refusals are JSON `{ error: { code, message } }` with a status that fits.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { cpus, hostname } from 'node:os';
import { AgentError, STATUS_OF } from './agent-error.js';
import { AgentJob, type AgentPermissions } from './agent-job.js';
import { MAC_HEADER, NONCE_HEADER, NonceBook, verifyMac } from './agent-auth.js';
import {
  MAX_REQUEST_BYTES,
  parseBarrierRequest,
  parseJobId,
  parseJobRequest,
  parseWaitRequest,
  type HostInfo,
  type WaitResponse,
} from './agent-protocol.js';

export interface AgentServerOptions {
  secret: string;
  permissions: AgentPermissions;
  /** One line per event (jobs, phases, refusals). */
  log?: (text: string) => void;
}

const hrtime = process.hrtime.bigint;

function hostInfo(): HostInfo {
  const cpuList = cpus();
  return {
    hostname: hostname(),
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    node: process.version,
  };
}

/** Reads the body, stopping at the cap: a larger one is refused, not buffered. */
function readBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BYTES) return Promise.reject(tooLarge(declared));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        request.removeAllListeners('data');
        request.resume();
        reject(tooLarge(size));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function tooLarge(bytes: number): AgentError {
  return new AgentError(
    'AGENT_MESSAGE_TOO_LARGE',
    `refused: the message has ${bytes > MAX_REQUEST_BYTES ? 'more than ' : ''}${MAX_REQUEST_BYTES} bytes, this agent's limit (a run's description is a few kB; is something else talking to this port?)`,
  );
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new AgentError(
      'AGENT_MESSAGE_MALFORMED',
      `malformed message: the body is not JSON (${(error as Error).message})`,
    );
  }
}

function send(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function createAgentServer(options: AgentServerOptions): Server {
  const log = options.log ?? (() => {});
  const nonces = new NonceBook();
  const host = hostInfo();
  let job: AgentJob | undefined;

  const findJob = (jobId: string): AgentJob => {
    if (!job || job.request.jobId !== jobId)
      throw new AgentError('AGENT_UNKNOWN_JOB', `no job ${jobId} on this agent (was it restarted?)`);
    return job;
  };

  const routes: Record<string, (body: unknown) => Promise<[number, unknown]>> = {
    '/clock': async () => [200, { agentNs: String(hrtime()) }],
    '/jobs': async (body) => {
      const request = parseJobRequest(body);
      if (job && job.phase !== 'done')
        throw new AgentError(
          'AGENT_BUSY',
          `busy: job ${job.request.jobId} is still running here; one coordinator drives an agent at a time`,
        );
      job = await AgentJob.start(request, options.permissions, log);
      return [202, { jobId: request.jobId, host }];
    },
    '/jobs/wait': async (body) => {
      const wait = parseWaitRequest(body);
      const current = findJob(wait.jobId);
      await current.wait(wait.until, wait.cursor, wait.maxWaitMs);
      const answer: WaitResponse = {
        phase: current.phase,
        cursor: current.intervals.length,
        intervals: current.intervals.slice(wait.cursor),
        host,
      };
      if (current.phase === 'done') answer.result = current.result;
      if (current.releaseNs !== undefined) answer.releaseNs = String(current.releaseNs);
      if (current.measureAtNs !== undefined) answer.measureAtNs = String(current.measureAtNs);
      return [200, answer];
    },
    '/jobs/release': async (body) => {
      const barrier = parseBarrierRequest(body);
      findJob(barrier.jobId).release(BigInt(barrier.atNs));
      return [200, { ok: true }];
    },
    '/jobs/measure': async (body) => {
      const barrier = parseBarrierRequest(body);
      findJob(barrier.jobId).measure(BigInt(barrier.atNs));
      return [200, { ok: true }];
    },
    '/jobs/stop': async (body) => {
      findJob(parseJobId(body)).stop();
      return [200, { ok: true }];
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const path = (request.url ?? '/').split('?')[0]!;
    if (request.method === 'GET' && path === '/nonce') return send(response, 200, { nonce: nonces.issue() });
    const route = request.method === 'POST' ? routes[path] : undefined;
    if (!route)
      throw new AgentError(
        'AGENT_NOT_FOUND',
        `no route ${request.method} ${path}; this is a cachebench agent (docs/agents.md)`,
      );
    // The nonce first (cheap): a caller without one is refused before its body is read.
    const nonce = header(request, NONCE_HEADER);
    nonces.spend(nonce);
    const body = await readBody(request);
    verifyMac(options.secret, nonce!, 'POST', path, body, header(request, MAC_HEADER));
    const [status, value] = await route(parseJson(body));
    send(response, status, value);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const known = error instanceof AgentError;
      const code = known ? error.code : 'AGENT_MESSAGE_MALFORMED';
      const message = known ? error.message : `the agent failed on this request: ${(error as Error).message}`;
      log(`refused ${request.method} ${request.url} from ${request.socket.remoteAddress}: ${message}`);
      if (!response.headersSent) send(response, known ? STATUS_OF[error.code] : 500, { error: { code, message } });
      // A refused upload is not read to its end: close the connection rather than drain it.
      if (known && error.code === 'AGENT_MESSAGE_TOO_LARGE') response.on('finish', () => request.socket.destroy());
    });
  });
  // Longer than any pause between a coordinator's requests, so it rarely reuses a socket the agent is closing.
  server.keepAliveTimeout = 65_000;
  return server;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
