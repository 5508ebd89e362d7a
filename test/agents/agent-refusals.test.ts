import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, parseAgentAddress } from '../../harness/agents/agent-client.js';
import { MAC_HEADER, NONCE_HEADER, requestMac } from '../../harness/agents/agent-auth.js';
import { AGENT_PROTOCOL, MAX_REQUEST_BYTES, type JobRequest } from '../../harness/agents/agent-protocol.js';
import { runAcrossAgents } from '../../harness/agents/coordinator.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import { getScenario } from '../../scenarios/registry.js';
import { fixture, smallRun } from '../harness/helpers.js';
import { secretFile, startAgent, type RunningAgent } from './start-agent.js';

const SECRET = 'the-right-secret-0123456789';
let agent: RunningAgent;

beforeAll(async () => {
  agent = await startAgent(['--secret-file', secretFile(SECRET)]);
}, 120_000);

afterAll(async () => {
  await agent?.stop();
});

interface Answer {
  status: number;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** One raw HTTP exchange, so the tests control every byte the agent sees. */
function exchange(
  method: string,
  path: string,
  body: string | Buffer | undefined,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const { host, port } = parseAgentAddress(agent.address);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        method,
        path,
        agent: false,
        headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Answer['body'] }));
      },
    );
    // The agent may close the socket on an oversized upload once it has answered.
    req.on('error', reject);
    req.end(body);
  });
}

async function signed(path: string, body: string | Buffer, secret = SECRET): Promise<Answer> {
  const { body: issued } = await exchange('GET', '/nonce', undefined);
  const nonce = issued.nonce as string;
  return exchange('POST', path, body, {
    'content-type': 'application/json',
    [NONCE_HEADER]: nonce,
    [MAC_HEADER]: requestMac(secret, nonce, 'POST', path, body),
  });
}

function job(overrides: Partial<JobRequest> = {}): JobRequest {
  return {
    protocol: AGENT_PROTOCOL,
    jobId: 'job-1',
    scenario: { builtin: 'talk', parameters: {} },
    backend: { ref: { kind: 'registry', name: 'memory' }, options: {}, label: 'memory' },
    run: smallRun({ procs: 1, ops: 100 }),
    share: { firstWorker: 0, totalProcs: 1 },
    intervalMs: 1000,
    noiseThresholdCores: 0.25,
    ...overrides,
  };
}

describe('an agent refuses', () => {
  it('a coordinator with the wrong secret, naming the fix', async () => {
    const client = new AgentClient(agent.address, 'a-wrong-secret-0123456789');
    await expect(client.call('/jobs', job())).rejects.toMatchObject({
      code: 'AGENT_AUTH_REFUSED',
      message: expect.stringMatching(/wrong secret.*--agent-secret-file/),
    });
    client.close();
    await expect(
      runAcrossAgents({
        agents: [agent.address],
        secret: 'a-wrong-secret-0123456789',
        scenario: getScenario('talk'),
        scenarioWire: { builtin: 'talk', parameters: {} },
        backends: parseBackendChoices('memory'),
        run: smallRun({ procs: 1 }),
        noiseThresholdCores: 0.25,
      }),
    ).rejects.toMatchObject({ code: 'AGENT_AUTH_REFUSED' });
    // The agent logs each refusal with the caller's address.
    await agent.waitForLog(/refused POST \/clock from 127\.0\.0\.1: refused: wrong secret/, 10_000);
  });

  it('a request without a challenge, and a replayed one', async () => {
    const body = JSON.stringify(job());
    const bare = await exchange('POST', '/jobs', body, {
      'content-type': 'application/json',
      [MAC_HEADER]: requestMac(SECRET, 'made-up', 'POST', '/jobs', body),
    });
    expect(bare.status).toBe(401);
    expect(bare.body.error!.code).toBe('AGENT_AUTH_REFUSED');
    const { body: issued } = await exchange('GET', '/nonce', undefined);
    const headers = {
      'content-type': 'application/json',
      [NONCE_HEADER]: issued.nonce as string,
      [MAC_HEADER]: requestMac(SECRET, issued.nonce as string, 'POST', '/clock', '{}'),
    };
    expect((await exchange('POST', '/clock', '{}', headers)).status).toBe(200);
    const replay = await exchange('POST', '/clock', '{}', headers);
    expect(replay.status).toBe(401);
    expect(replay.body.error!.message).toMatch(/no challenge this agent issued/);
  });

  it('a body altered after it was signed', async () => {
    const { body: issued } = await exchange('GET', '/nonce', undefined);
    const nonce = issued.nonce as string;
    const mac = requestMac(SECRET, nonce, 'POST', '/jobs', JSON.stringify(job()));
    const altered = await exchange(
      'POST',
      '/jobs',
      JSON.stringify(job({ backend: { ref: { kind: 'module', path: '/tmp/x.js' }, options: {}, label: 'x' } })),
      { [NONCE_HEADER]: nonce, [MAC_HEADER]: mac },
    );
    expect(altered.status).toBe(401);
  });

  it('an oversized message, with the limit in the error', async () => {
    const big = Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20);
    const answer = await signed('/jobs', big);
    expect(answer.status).toBe(413);
    expect(answer.body.error).toEqual({
      code: 'AGENT_MESSAGE_TOO_LARGE',
      message: expect.stringContaining(`${MAX_REQUEST_BYTES} bytes`),
    });
  });

  it('malformed messages, naming the field at fault', async () => {
    const notJson = await signed('/jobs', '{"protocol": 1,');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toEqual({
      code: 'AGENT_MESSAGE_MALFORMED',
      message: expect.stringMatching(/^malformed message: the body is not JSON/),
    });
    const noScenario = await signed('/jobs', JSON.stringify({ ...job(), scenario: 'talk' }));
    expect(noScenario.body.error).toEqual({
      code: 'AGENT_MESSAGE_MALFORMED',
      message: 'malformed message: scenario must be an object',
    });
    const badShare = await signed('/jobs', JSON.stringify(job({ share: { firstWorker: 3, totalProcs: 2 } })));
    expect(badShare.body.error!.message).toMatch(/^malformed message: share must be workers 3…3 within the run's 2/);
    const oldProtocol = await signed('/jobs', JSON.stringify({ ...job(), protocol: 0 }));
    expect(oldProtocol.body.error!.code).toBe('AGENT_PROTOCOL_MISMATCH');
    const notBuiltin = await signed(
      '/jobs',
      JSON.stringify(job({ scenario: { builtin: '../../etc/passwd', parameters: {} } })),
    );
    expect(notBuiltin.body.error!.message).toMatch(/is not a built-in scenario here/);
  });

  it('a module-path backend or a custom scenario unless started with the flags that allow them', async () => {
    const module = await signed(
      '/jobs',
      JSON.stringify(
        job({
          backend: {
            ref: { kind: 'module', path: fixture('recording') },
            options: { out: '/tmp' },
            label: 'recording',
          },
        }),
      ),
    );
    expect(module.status).toBe(403);
    expect(module.body.error).toEqual({
      code: 'AGENT_NOT_ALLOWED',
      message: expect.stringContaining('--allow-module-backends'),
    });
    const custom = await signed(
      '/jobs',
      JSON.stringify(
        job({
          scenario: { definition: { ...getScenario('talk'), name: 'mine' } as unknown as Record<string, unknown> },
        }),
      ),
    );
    expect(custom.status).toBe(403);
    expect(custom.body.error!.message).toContain('--allow-custom-scenarios');
  });
});

describe('an agent started without a secret', () => {
  it('prints a new one once, and accepts a coordinator that holds it', async () => {
    const fresh = await startAgent([]);
    try {
      const printed = /^secret: (\S+)$/m.exec(fresh.stdout());
      expect(printed).not.toBeNull();
      expect(printed![1]!.length).toBeGreaterThanOrEqual(40);
      const client = new AgentClient(fresh.address, printed![1]!);
      const sample = await client.clockSample();
      expect(sample.receivedNs).toBeGreaterThan(sample.sentNs);
      client.close();
      const other = new AgentClient(fresh.address, SECRET);
      await expect(other.call('/clock', {})).rejects.toMatchObject({ code: 'AGENT_AUTH_REFUSED' });
      other.close();
      // Printed on standard output only, never in the log.
      expect(fresh.stderr()).not.toContain(printed![1]!);
    } finally {
      await fresh.stop();
    }
  }, 120_000);
});
