/**
 * `cachebench run --agents`: drives one run across several load hosts. Each
 * agent runs the ordinary local harness for its share of the workers; the
 * coordinator agrees the two barrier instants with all of them (its own clock
 * plus each agent's measured offset), gathers their interval histograms and
 * writes one results file: the merged totals, with each host's part beside them.
 */
import { randomUUID } from 'node:crypto';
import type { Scenario } from '../../scenarios/scenario.js';
import { captureEnvironment } from '../environment.js';
import { markInterrupted } from '../interrupt.js';
import type { BackendChoice } from '../load-backend.js';
import {
  RESULTS_SCHEMA,
  RESULTS_VERSION,
  type BackendResult,
  type ResultsFile,
  type RunParameters,
} from '../../results/results.js';
import { AgentClient } from './agent-client.js';
import { AGENT_PROTOCOL, type ScenarioWire } from './agent-protocol.js';
import { HostSession } from './host-session.js';
import { mergeHosts, type GatheredHost } from './merge-hosts.js';
import { splitProcs } from './split-procs.js';

export interface AgentRunOptions {
  /** `HOST:PORT` of each agent. */
  agents: readonly string[];
  secret: string;
  scenario: Scenario;
  /** How the scenario travels: a built-in name with its --param overrides, or the definition itself. */
  scenarioWire: ScenarioWire;
  parameters?: Record<string, string>;
  backends: readonly BackendChoice[];
  /** `procs` is the whole run's, split among the agents. */
  run: RunParameters;
  /** @default 1000 */
  intervalMs?: number;
  noiseThresholdCores: number;
  /** The barrier's lead beyond the agents' round trips. @default 50 */
  barrierLeadMs?: number;
  onBackendStart?: (choice: BackendChoice, index: number) => void;
  onBackendDone?: (result: BackendResult, index: number) => void;
  onNotice?: (text: string) => void;
  signal?: AbortSignal;
}

const hrtime = process.hrtime.bigint;

export async function runAcrossAgents(options: AgentRunOptions): Promise<ResultsFile> {
  const { scenario } = options;
  splitProcs(options.run.procs, options.agents.length); // refuses fewer processes than agents before anything starts
  const results: ResultsFile = {
    schema: RESULTS_SCHEMA,
    version: RESULTS_VERSION,
    createdAt: new Date().toISOString(),
    environment: { ...captureEnvironment(), extra: { agents: [...options.agents] } },
    scenario: {
      name: scenario.name,
      description: scenario.description,
      parameters: { ...options.parameters, definition: scenario },
    },
    run: {
      ...options.run,
      timeoutsTimed: true,
      measurement: { noiseThresholdCores: options.noiseThresholdCores, waitIdleSeconds: 0, retryNoisy: 0, pin: null },
    },
    backends: [],
  };
  const clients = options.agents.map((address) => new AgentClient(address, options.secret));
  try {
    // Every agent answers, and accepts the secret, before the first backend runs.
    await Promise.all(clients.map((c) => c.clockSample()));
    for (const [index, choice] of options.backends.entries()) {
      if (options.signal?.aborted) break;
      options.onBackendStart?.(choice, index);
      const result = await runBackendOnAgents(options, clients, choice);
      results.backends.push(options.signal?.aborted ? markInterrupted(result) : result);
      options.onBackendDone?.(result, index);
    }
  } finally {
    clients.forEach((c) => c.close());
  }
  return results;
}

async function runBackendOnAgents(
  options: AgentRunOptions,
  clients: readonly AgentClient[],
  choice: BackendChoice,
): Promise<BackendResult> {
  const { run } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const shares = splitProcs(run.procs, clients.length);
  const jobId = randomUUID();
  const sessions = clients.map(
    (client, i) =>
      new HostSession(client, {
        protocol: AGENT_PROTOCOL,
        jobId,
        scenario: options.scenarioWire,
        backend: { ref: choice.ref, options: choice.options, label: choice.label },
        run: { ...run, procs: shares[i]!.procs },
        share: { firstWorker: shares[i]!.firstWorker, totalProcs: run.procs },
        intervalMs,
        noiseThresholdCores: options.noiseThresholdCores,
      }),
  );
  const stopAll = (): void => void Promise.all(sessions.map((s) => s.stop()));
  options.signal?.addEventListener('abort', stopAll, { once: true });
  try {
    for (const session of sessions) await session.measureClock();
    const started = await Promise.allSettled(sessions.map((s) => s.start()));
    const refused = started.findIndex((s) => s.status === 'rejected');
    if (refused >= 0) {
      await Promise.all(sessions.map((s, i) => (started[i]!.status === 'fulfilled' ? s.stop() : undefined)));
      const reason = (started[refused] as PromiseRejectedResult).reason as Error;
      return {
        label: choice.label,
        name: choice.label,
        status: 'errored',
        message: reason.message,
        wallSeconds: 0,
        actions: {},
        intervals: [],
      };
    }
    options.onNotice?.(
      `clocks: ${sessions.map((s) => `${s.client.address} ${formatOffset(s.clock.offsetNs)} (rtt ${(s.clock.rttNs / 1e6).toFixed(2)} ms)`).join(', ')}`,
    );

    // The barrier's lead covers a nonce and a request to every agent, with room to spare.
    const leadNs = BigInt(
      Math.round((options.barrierLeadMs ?? 50) * 1e6 + 4 * Math.max(...sessions.map((s) => s.clock.rttNs))),
    );
    await Promise.all(sessions.map((s) => s.waitFor('ready', options.signal)));
    const releaseNs = hrtime() + leadNs;
    await Promise.all(sessions.filter((s) => s.phase === 'ready').map((s) => s.barrier('release', releaseNs)));
    await Promise.all(sessions.map((s) => s.waitFor('warmed', options.signal)));
    const warmed = sessions.filter((s) => s.phase === 'warmed');
    const measureAtNs = warmed.length > 0 ? hrtime() + leadNs : undefined;
    if (measureAtNs !== undefined) await Promise.all(warmed.map((s) => s.barrier('measure', measureAtNs)));
    await Promise.all(sessions.map((s) => s.waitFor('done')));

    const hosts: GatheredHost[] = sessions.map((s) => gathered(s, releaseNs, measureAtNs));
    const measureStartSeconds = measureAtNs === undefined ? undefined : Number(measureAtNs - releaseNs) / 1e9;
    const merged = mergeHosts(
      choice.label,
      hosts,
      intervalMs,
      measureStartSeconds === undefined ? undefined : Math.round(measureStartSeconds * 1e6) / 1e6,
    );
    for (const part of merged.hosts ?? []) {
      const ops = Object.values(part.result.actions).reduce((sum, a) => sum + a.count, 0);
      const workers =
        part.procs === 1
          ? `worker ${part.firstWorker}`
          : `workers ${part.firstWorker}–${part.firstWorker + part.procs - 1}`;
      options.onNotice?.(
        `${part.agent} (${part.hostname || 'no answer'}, ${workers}): ${part.result.status}, ${ops} ops${part.result.message ? ` — ${part.result.message}` : ''}`,
      );
    }
    return merged;
  } finally {
    options.signal?.removeEventListener('abort', stopAll);
  }
}

function gathered(session: HostSession, releaseNs: bigint, measureAtNs: bigint | undefined): GatheredHost {
  const part = {
    agent: session.client.address,
    hostname: session.hostname,
    cores: session.cores,
    node: session.node,
    firstWorker: session.request.share.firstWorker,
    procs: session.request.run.procs,
    clock: session.clock,
  };
  const result = session.result;
  if (result) {
    return {
      part,
      intervals: session.intervals,
      result,
      measuredSeconds: Math.max(0, result.wallSeconds - (result.measureStartSeconds ?? 0)),
      wallSeconds: result.wallSeconds,
    };
  }
  const heard = session.lastHeardNs;
  return {
    part,
    intervals: session.intervals,
    result: undefined,
    failure: session.failure ?? 'the agent ended without a result',
    measuredSeconds: measureAtNs === undefined ? 0 : Math.max(0, Number(heard - measureAtNs) / 1e9),
    wallSeconds: Math.max(0, Number(heard - releaseNs) / 1e9),
  };
}

function formatOffset(ns: number): string {
  return `${ns >= 0 ? '+' : '−'}${(Math.abs(ns) / 1e6).toFixed(3)} ms`;
}
