/**
 * `cachebench run --agents`: the local run's options turned into a run across
 * agents, refusing what does not carry over to several hosts.
 */
import { applyParameters } from '../../scenarios/parameters.js';
import { SCENARIOS } from '../../scenarios/registry.js';
import type { Scenario } from '../../scenarios/scenario.js';
import { DEFAULT_NOISE_THRESHOLD_CORES } from '../host-noise.js';
import type { ResultsFile } from '../../results/results.js';
import type { BenchmarkOptions } from '../run-benchmark.js';
import { AgentError } from './agent-error.js';
import { readSecret, SECRET_ENV } from './agent-auth.js';
import type { ScenarioWire } from './agent-protocol.js';
import { runAcrossAgents } from './coordinator.js';

/** Sent by name when the scenario is a built-in one with --param applied; otherwise its definition (agents must allow it). */
export function scenarioWireOf(scenario: Scenario, parameters: Record<string, string>): ScenarioWire {
  const builtin = SCENARIOS.get(scenario.name);
  if (builtin) {
    try {
      if (JSON.stringify(applyParameters(builtin, parameters)) === JSON.stringify(scenario))
        return { builtin: scenario.name, parameters };
    } catch {
      // Parameters the built-in refuses: this is some other scenario of the same name.
    }
  }
  return { definition: JSON.parse(JSON.stringify(scenario)) as Record<string, unknown> };
}

export async function runThroughAgents(
  benchmark: BenchmarkOptions,
  agents: readonly string[],
  secretFile: string | undefined,
): Promise<ResultsFile> {
  const refuse = (flag: string, why: string): never => {
    throw new AgentError('AGENT_MESSAGE_MALFORMED', `${flag} does not work with --agents: ${why}`);
  };
  if (benchmark.pin !== undefined)
    refuse('--pin', 'each host places its own processes; run the agents under taskset instead');
  if ((benchmark.waitIdleSeconds ?? 0) > 0 || (benchmark.retryNoisy ?? 0) > 0)
    refuse('--wait-idle/--retry-noisy', "each host's noise is recorded in its part; judge it there");
  if (benchmark.backends.some((b) => b.injectedDelays !== undefined))
    refuse('--inject-delay', 'inject delays in a local run');
  const secret = readSecret(secretFile);
  if (secret === undefined)
    throw new AgentError(
      'AGENT_SECRET_INVALID',
      `no secret for the agents: give --agent-secret-file FILE or set ${SECRET_ENV} to the secret \`cachebench agent\` printed`,
    );
  const parameters = benchmark.parameters ?? {};
  return runAcrossAgents({
    agents,
    secret,
    scenario: benchmark.scenario,
    scenarioWire: scenarioWireOf(benchmark.scenario, parameters),
    parameters,
    backends: benchmark.backends,
    run: benchmark.run,
    intervalMs: benchmark.intervalMs,
    noiseThresholdCores: benchmark.noiseThresholdCores ?? DEFAULT_NOISE_THRESHOLD_CORES,
    onBackendStart: benchmark.onBackendStart,
    onBackendDone: benchmark.onBackendDone,
    onNotice: benchmark.onNotice,
    signal: benchmark.signal,
  });
}
