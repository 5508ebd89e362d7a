/**
 * One run on an agent: the ordinary local harness (runBackend) for this
 * host's share of the workers, with the two barrier instants taken from the
 * coordinator and every finished worker interval kept for it to fetch.
 */
import { getScenario, SCENARIOS } from '../../scenarios/registry.js';
import { applyParameters } from '../../scenarios/parameters.js';
import { validateScenario } from '../../scenarios/validate-scenario.js';
import type { Scenario } from '../../scenarios/scenario.js';
import { validateBackendChoices, type BackendChoice } from '../load-backend.js';
import type { BackendResult } from '../../results/results.js';
import { runBackend } from '../run-backend.js';
import { AgentError } from './agent-error.js';
import type { JobPhase, JobRequest, StreamedInterval, WaitUntil } from './agent-protocol.js';

/** What an agent was started to allow beyond built-in scenarios and registry backends. */
export interface AgentPermissions {
  /** `--allow-module-backends`: a backend given as a module path on this host may be imported (it runs as code here). */
  moduleBackends: boolean;
  /** `--allow-custom-scenarios`: a scenario definition sent as data (not a built-in name) may run. */
  customScenarios: boolean;
}

/** How long an agent waits for the coordinator's next barrier before giving the run up. */
const BARRIER_TIMEOUT_MS = 10 * 60_000;

const REACHED: Record<WaitUntil, readonly JobPhase[]> = {
  ready: ['ready', 'released', 'warmed', 'measuring', 'done'],
  warmed: ['warmed', 'measuring', 'done'],
  done: ['done'],
};

export class AgentJob {
  phase: JobPhase = 'preparing';
  readonly intervals: StreamedInterval[] = [];
  result: BackendResult | undefined;
  releaseNs: bigint | undefined;
  measureAtNs: bigint | undefined;
  private readonly abort = new AbortController();
  private readonly waiters = new Set<() => void>();
  private releaseAt: ((at: bigint) => void) | undefined;
  private measureAt: ((at: bigint) => void) | undefined;

  private constructor(
    readonly request: JobRequest,
    private readonly log: (text: string) => void,
  ) {}

  /** Checks what the request asks this host to load, then starts it; the answer to the coordinator comes before the run ends. */
  static async start(
    request: JobRequest,
    permissions: AgentPermissions,
    log: (text: string) => void,
  ): Promise<AgentJob> {
    const scenario = scenarioOf(request, permissions);
    if (request.backend.ref.kind === 'module' && !permissions.moduleBackends) {
      throw new AgentError(
        'AGENT_NOT_ALLOWED',
        `refused: backend ${request.backend.label} is a module path, which would run as code on this host; start the agent with --allow-module-backends to allow it`,
      );
    }
    const choice: BackendChoice = {
      ref: request.backend.ref,
      options: request.backend.options,
      label: request.backend.label,
    };
    try {
      await validateBackendChoices([choice], scenario);
    } catch (error) {
      throw new AgentError('AGENT_MESSAGE_MALFORMED', `backend ${choice.label}: ${(error as Error).message}`);
    }
    const job = new AgentJob(request, log);
    void job.run(choice, scenario);
    return job;
  }

  private async run(choice: BackendChoice, scenario: Scenario): Promise<void> {
    const { run, share } = this.request;
    this.log(
      `job ${this.request.jobId}: ${scenario.name} on ${choice.label}, workers ${share.firstWorker}–${share.firstWorker + run.procs - 1} of ${share.totalProcs}, seed ${run.seed}`,
    );
    try {
      this.result = await runBackend({
        choice,
        scenario,
        run,
        intervalMs: this.request.intervalMs,
        noiseThresholdCores: this.request.noiseThresholdCores,
        signal: this.abort.signal,
        hostShare: {
          firstWorker: share.firstWorker,
          totalProcs: share.totalProcs,
          release: () => this.barrier('ready', (resolve) => (this.releaseAt = resolve)),
          measure: () => this.barrier('warmed', (resolve) => (this.measureAt = resolve)),
          onWorkerMessage: (worker, message) => {
            if (message.type !== 'interval') return;
            this.intervals.push({ worker, index: message.index, actions: message.actions });
            this.wake();
          },
        },
      });
    } catch (error) {
      this.result = {
        label: choice.label,
        name: choice.label,
        status: 'errored',
        message: (error as Error).message,
        wallSeconds: 0,
        actions: {},
        intervals: [],
      };
    }
    this.log(
      `job ${this.request.jobId}: ${this.result.status}${this.result.message ? ` — ${this.result.message}` : ''}`,
    );
    this.setPhase('done');
  }

  /** Announces the phase, then waits for the coordinator's instant for the next one. */
  private barrier(phase: 'ready' | 'warmed', hold: (resolve: (at: bigint) => void) => void): Promise<bigint> {
    return new Promise<bigint>((resolve, reject) => {
      const stopped = (): void => {
        clearTimeout(timer);
        reject(new Error('stopped by the coordinator before the run began'));
      };
      const timer = setTimeout(() => {
        this.abort.signal.removeEventListener('abort', stopped);
        reject(
          new Error(
            `the coordinator sent no ${phase === 'ready' ? 'release' : 'measurement'} instant within ${BARRIER_TIMEOUT_MS / 60_000} min`,
          ),
        );
      }, BARRIER_TIMEOUT_MS);
      // A stop while the workers wait at a barrier ends the wait: no instant will come.
      this.abort.signal.addEventListener('abort', stopped, { once: true });
      hold((at) => {
        clearTimeout(timer);
        this.abort.signal.removeEventListener('abort', stopped);
        resolve(at);
      });
      this.setPhase(phase);
      this.log(`job ${this.request.jobId}: ${phase}`);
    });
  }

  release(atNs: bigint): void {
    if (this.phase !== 'ready' || !this.releaseAt)
      throw new AgentError(
        'AGENT_MESSAGE_MALFORMED',
        `release came in phase ${this.phase}; it is for a job whose workers are ready`,
      );
    this.releaseNs = atNs;
    this.phase = 'released';
    this.releaseAt(atNs);
  }

  measure(atNs: bigint): void {
    if (this.phase !== 'warmed' || !this.measureAt)
      throw new AgentError(
        'AGENT_MESSAGE_MALFORMED',
        `measure came in phase ${this.phase}; it is for a job whose workers have warmed up`,
      );
    this.measureAtNs = atNs;
    this.phase = 'measuring';
    this.log(`job ${this.request.jobId}: measuring`);
    this.measureAt(atNs);
  }

  /** The coordinator's Ctrl-C: the workers are stopped and the result is marked interrupted, as locally. */
  stop(): void {
    this.abort.abort();
  }

  /** Resolves when the phase `until` names has come, new intervals arrived past `cursor`, or `maxWaitMs` passed. */
  async wait(until: WaitUntil, cursor: number, maxWaitMs: number): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (!REACHED[until].includes(this.phase) && !(until === 'done' && this.intervals.length > cursor)) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  private setPhase(phase: JobPhase): void {
    this.phase = phase;
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function scenarioOf(request: JobRequest, permissions: AgentPermissions): Scenario {
  const wire = request.scenario;
  if ('builtin' in wire) {
    // A name only: never a path, so nothing is read from this host's disk.
    if (!SCENARIOS.has(wire.builtin))
      throw new AgentError(
        'AGENT_MESSAGE_MALFORMED',
        `scenario "${wire.builtin}" is not a built-in scenario here (built-in: ${[...SCENARIOS.keys()].join(', ')})`,
      );
    try {
      return applyParameters(validateScenario(getScenario(wire.builtin), wire.builtin), wire.parameters);
    } catch (error) {
      throw new AgentError('AGENT_MESSAGE_MALFORMED', `scenario ${wire.builtin}: ${(error as Error).message}`);
    }
  }
  if (!permissions.customScenarios) {
    throw new AgentError(
      'AGENT_NOT_ALLOWED',
      "refused: the run's scenario is a custom definition, not a built-in one; start the agent with --allow-custom-scenarios to run scenarios sent over the wire",
    );
  }
  try {
    return validateScenario(wire.definition, 'the scenario sent by the coordinator');
  } catch (error) {
    throw new AgentError('AGENT_MESSAGE_MALFORMED', (error as Error).message);
  }
}
