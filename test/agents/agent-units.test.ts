import { describe, expect, it } from 'vitest';
import { NonceBook, readSecret, requestMac, verifyMac } from '../../harness/agents/agent-auth.js';
import { offsetFromSamples } from '../../harness/agents/clock-offset.js';
import { scenarioWireOf } from '../../harness/agents/run-through-agents.js';
import { splitProcs } from '../../harness/agents/split-procs.js';
import { applyParameters } from '../../scenarios/parameters.js';
import { getScenario } from '../../scenarios/registry.js';
import { secretFile } from './start-agent.js';

describe('clock offset', () => {
  it("keeps the shortest round trip's midpoint estimate", () => {
    // The agent is 5 ms ahead; the slow sample read the agent's clock late in its round trip.
    const samples = [
      { sentNs: 1_000_000n, agentNs: 1_000_000n + 5_000_000n + 9_000_000n, receivedNs: 11_000_000n },
      { sentNs: 20_000_000n, agentNs: 20_100_000n + 5_000_000n, receivedNs: 20_200_000n },
      { sentNs: 30_000_000n, agentNs: 30_000_000n + 5_000_000n + 1_000_000n, receivedNs: 32_000_000n },
    ];
    expect(offsetFromSamples(samples)).toEqual({ offsetNs: 5_000_000, rttNs: 200_000, samples: 3 });
  });
});

describe('splitting processes among agents', () => {
  it('deals workers 0…N-1 out in order, the first agents taking the remainder', () => {
    expect(splitProcs(5, 2)).toEqual([
      { firstWorker: 0, procs: 3 },
      { firstWorker: 3, procs: 2 },
    ]);
    expect(splitProcs(3, 3)).toEqual([
      { firstWorker: 0, procs: 1 },
      { firstWorker: 1, procs: 1 },
      { firstWorker: 2, procs: 1 },
    ]);
  });

  it('refuses fewer processes than agents, saying --procs is the total', () => {
    expect(() => splitProcs(1, 2)).toThrow(/--procs 1 is fewer than the 2 agents.*total across agents/);
  });
});

describe('the shared secret', () => {
  it('verifies a MAC over nonce, method, path and body, and nothing else', () => {
    const mac = requestMac('s'.repeat(20), 'n1', 'POST', '/jobs', Buffer.from('{}'));
    expect(() => verifyMac('s'.repeat(20), 'n1', 'POST', '/jobs', Buffer.from('{}'), mac)).not.toThrow();
    expect(() => verifyMac('s'.repeat(20), 'n2', 'POST', '/jobs', Buffer.from('{}'), mac)).toThrow(/wrong secret/);
    expect(() => verifyMac('s'.repeat(20), 'n1', 'POST', '/clock', Buffer.from('{}'), mac)).toThrow(/wrong secret/);
    expect(() => verifyMac('t'.repeat(20), 'n1', 'POST', '/jobs', Buffer.from('{}'), mac)).toThrow(/wrong secret/);
    expect(() => verifyMac('s'.repeat(20), 'n1', 'POST', '/jobs', Buffer.from('{}'), 'not-hex')).toThrow(
      /wrong secret/,
    );
  });

  it('spends each nonce once and lets it expire', () => {
    let now = 0;
    const book = new NonceBook(() => now);
    const a = book.issue();
    book.spend(a);
    expect(() => book.spend(a)).toThrow(/no challenge this agent issued/);
    const b = book.issue();
    now += 31_000;
    expect(() => book.spend(b)).toThrow(/expired/);
  });

  it('refuses a short secret from a file or the environment', () => {
    expect(() => readSecret(secretFile('short'))).toThrow(/5 characters, fewer than 16/);
    expect(() => readSecret(undefined, { CACHEBENCH_AGENT_SECRET: 'tiny' })).toThrow(
      /CACHEBENCH_AGENT_SECRET: the secret has 4 characters/,
    );
    expect(readSecret(undefined, {})).toBeUndefined();
    expect(() => readSecret('/nonexistent/secret')).toThrow(
      /secret file \/nonexistent\/secret: cannot read it \(ENOENT\)/,
    );
  });
});

describe('how a scenario travels', () => {
  it('by name for a built-in one with --param applied, as its definition otherwise', () => {
    const talk = applyParameters(getScenario('talk'), { keys: '500' });
    expect(scenarioWireOf(talk, { keys: '500' })).toEqual({ builtin: 'talk', parameters: { keys: '500' } });
    const changed = { ...talk, mix: { get: 1 } };
    expect(scenarioWireOf(changed, { keys: '500' })).toEqual({ definition: JSON.parse(JSON.stringify(changed)) });
  });
});
