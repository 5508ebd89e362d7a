import { runAcrossAgents } from '../../harness/agents/coordinator.js';
import { parseBackendChoices } from '../../harness/load-backend.js';
import type { ResultsFile } from '../../results/results.js';
import { getScenario } from '../../scenarios/registry.js';
import { smallRun } from '../harness/helpers.js';
import { startAgent } from './start-agent.js';

/**
 * A timed talk run on `memory` with 2 processes through `survivor` and a fresh
 * agent that is SIGKILLed `killAfterMs` after it starts measuring: what the
 * coordinator returns, and the killed agent's address.
 */
export async function runWithKilledAgent(options: {
  survivor: string;
  secret: string;
  secretPath: string;
  durationSeconds: number;
  killAfterMs: number;
}): Promise<{ results: ResultsFile; killedAddress: string }> {
  const doomed = await startAgent(['--secret-file', options.secretPath]);
  try {
    const running = runAcrossAgents({
      agents: [options.survivor, doomed.address],
      secret: options.secret,
      scenario: getScenario('talk'),
      scenarioWire: { builtin: 'talk', parameters: {} },
      backends: parseBackendChoices('memory'),
      run: smallRun({ procs: 2, ops: null, durationSeconds: options.durationSeconds, warmupOps: 10 }),
      intervalMs: 200,
      noiseThresholdCores: 0.25,
    });
    await doomed.waitForLog(/measuring/);
    await new Promise((resolve) => setTimeout(resolve, options.killAfterMs));
    doomed.child.kill('SIGKILL');
    return { results: await running, killedAddress: doomed.address };
  } finally {
    await doomed.stop();
  }
}
