/**
 * The messages between a coordinator (`cachebench run --agents`) and an agent
 * (`cachebench agent`): JSON bodies over HTTP (docs/agents.md). Every request
 * is checked here before the agent acts on it: a size cap, then a schema
 * check that names the field at fault. Nanosecond instants travel as decimal
 * strings because JSON has no bigint.
 */
import type { BackendRef } from '../load-backend.js';
import type { ActionPayload } from '../protocol.js';
import type { BackendResult, RunParameters } from '../../results/results.js';
import { AgentError } from './agent-error.js';

export const AGENT_PROTOCOL = 1;
/** The largest request an agent reads: a run's description is a few kilobytes. */
export const MAX_REQUEST_BYTES = 1024 * 1024; // 1 MiB
/** The largest answer a coordinator reads: a long run's per-worker interval histograms. */
export const MAX_RESPONSE_BYTES = 256 * 1024 * 1024; // 256 MiB

/** A built-in scenario by name with `--param` overrides, or (agents started with --allow-custom-scenarios) a scenario definition as data. */
export type ScenarioWire =
  { builtin: string; parameters: Record<string, string> } | { definition: Record<string, unknown> };

export interface JobRequest {
  protocol: typeof AGENT_PROTOCOL;
  jobId: string;
  scenario: ScenarioWire;
  backend: { ref: BackendRef; options: Record<string, string>; label: string };
  /** `procs` is this host's share; the other fields are the whole run's. */
  run: RunParameters;
  share: { firstWorker: number; totalProcs: number };
  intervalMs: number;
  noiseThresholdCores: number;
}

export type JobPhase = 'preparing' | 'ready' | 'released' | 'warmed' | 'measuring' | 'done';
export type WaitUntil = 'ready' | 'warmed' | 'done';

export interface WaitRequest {
  jobId: string;
  until: WaitUntil;
  /** Intervals already received: the answer holds the ones after it. */
  cursor: number;
  /** Answer after this long even when the phase has not come (long poll). */
  maxWaitMs: number;
}

/** One worker's finished interval, as its worker sent it; `worker` is this host's index. */
export interface StreamedInterval {
  worker: number;
  index: number;
  actions: Record<string, ActionPayload>;
}

export interface HostInfo {
  hostname: string;
  cores: number;
  cpuModel: string;
  node: string;
}

export interface WaitResponse {
  phase: JobPhase;
  cursor: number;
  intervals: StreamedInterval[];
  /** When `phase` is done: this host's part, as the local harness summarised it. */
  result?: BackendResult;
  /** This host's release and measurement instants (its own hrtime), when they came. */
  releaseNs?: string;
  measureAtNs?: string;
  host: HostInfo;
}

export interface BarrierRequest {
  jobId: string;
  /** The instant in the agent's own hrtime (the coordinator has added its measured offset). */
  atNs: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function malformed(field: string, expected: string): never {
  throw new AgentError('AGENT_MESSAGE_MALFORMED', `malformed message: ${field} must be ${expected}`);
}

function object(value: unknown, field: string): Record<string, unknown> {
  return isObject(value) ? value : malformed(field, 'an object');
}

function string(value: unknown, field: string, max = 200): string {
  return typeof value === 'string' && value.length > 0 && value.length <= max
    ? value
    : malformed(field, `a string of 1–${max} characters`);
}

function integer(value: unknown, field: string, min = 0): number {
  return Number.isSafeInteger(value) && (value as number) >= min
    ? (value as number)
    : malformed(field, `an integer ≥ ${min}`);
}

function numberOrNull(value: unknown, field: string): number | null {
  if (value === null) return null;
  return typeof value === 'number' && Number.isFinite(value) && value > 0
    ? value
    : malformed(field, 'a positive number or null');
}

function stringRecord(value: unknown, field: string): Record<string, string> {
  const record = object(value, field);
  for (const [key, v] of Object.entries(record)) string(v, `${field}.${key}`, 1000);
  return record as Record<string, string>;
}

function nsString(value: unknown, field: string): string {
  return typeof value === 'string' && /^-?\d{1,25}$/.test(value)
    ? value
    : malformed(field, 'an integer nanosecond count as a decimal string');
}

/** Checks a job request's shape; the agent then checks what it may load (agent-job.ts). */
export function parseJobRequest(value: unknown): JobRequest {
  const body = object(value, 'the body');
  if (body.protocol !== AGENT_PROTOCOL) {
    throw new AgentError(
      'AGENT_PROTOCOL_MISMATCH',
      `protocol ${String(body.protocol)} is not this agent's (${AGENT_PROTOCOL}); run the same cachebench version on the coordinator and the agents`,
    );
  }
  const jobId = string(body.jobId, 'jobId', 64);
  const scenario = object(body.scenario, 'scenario');
  let scenarioWire: ScenarioWire;
  if ('builtin' in scenario)
    scenarioWire = {
      builtin: string(scenario.builtin, 'scenario.builtin', 100),
      parameters: stringRecord(scenario.parameters, 'scenario.parameters'),
    };
  else scenarioWire = { definition: object(scenario.definition, 'scenario.definition') };
  const backend = object(body.backend, 'backend');
  const ref = object(backend.ref, 'backend.ref');
  let backendRef: BackendRef;
  if (ref.kind === 'registry') backendRef = { kind: 'registry', name: string(ref.name, 'backend.ref.name', 100) };
  else if (ref.kind === 'module') backendRef = { kind: 'module', path: string(ref.path, 'backend.ref.path', 4096) };
  else malformed('backend.ref.kind', '"registry" or "module"');
  const run = object(body.run, 'run');
  const ops = run.ops === null ? null : integer(run.ops, 'run.ops', 1);
  const durationSeconds = numberOrNull(run.durationSeconds, 'run.durationSeconds');
  if ((ops === null) === (durationSeconds === null))
    malformed('run', 'bounded by exactly one of ops and durationSeconds');
  const rate = numberOrNull(run.rate, 'run.rate');
  const share = object(body.share, 'share');
  const procs = integer(run.procs, 'run.procs', 1);
  const totalProcs = integer(share.totalProcs, 'share.totalProcs', 1);
  const firstWorker = integer(share.firstWorker, 'share.firstWorker');
  if (firstWorker + procs > totalProcs)
    malformed('share', `workers ${firstWorker}…${firstWorker + procs - 1} within the run's ${totalProcs}`);
  const noise = body.noiseThresholdCores;
  if (typeof noise !== 'number' || !Number.isFinite(noise) || noise < 0)
    malformed('noiseThresholdCores', 'a number ≥ 0');
  return {
    protocol: AGENT_PROTOCOL,
    jobId,
    scenario: scenarioWire,
    backend: {
      ref: backendRef,
      options: stringRecord(backend.options, 'backend.options'),
      label: string(backend.label, 'backend.label', 1000),
    },
    run: {
      procs,
      ops,
      durationSeconds,
      warmupOps: integer(run.warmupOps, 'run.warmupOps'),
      rate,
      loadModel: rate === null ? 'closed' : 'open',
      seed: integer(run.seed, 'run.seed'),
    },
    share: { firstWorker, totalProcs },
    intervalMs: integer(body.intervalMs, 'intervalMs', 1),
    noiseThresholdCores: noise,
  };
}

export function parseWaitRequest(value: unknown): WaitRequest {
  const body = object(value, 'the body');
  const until = body.until;
  if (until !== 'ready' && until !== 'warmed' && until !== 'done') malformed('until', '"ready", "warmed" or "done"');
  return {
    jobId: string(body.jobId, 'jobId', 64),
    until,
    cursor: integer(body.cursor, 'cursor'),
    maxWaitMs: Math.min(integer(body.maxWaitMs, 'maxWaitMs'), 60_000),
  };
}

export function parseBarrierRequest(value: unknown): BarrierRequest {
  const body = object(value, 'the body');
  return { jobId: string(body.jobId, 'jobId', 64), atNs: nsString(body.atNs, 'atNs') };
}

export function parseJobId(value: unknown): string {
  return string(object(value, 'the body').jobId, 'jobId', 64);
}
