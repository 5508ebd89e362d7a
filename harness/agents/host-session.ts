/**
 * The coordinator's handle on one agent during one backend's run: starts its
 * job, long-polls it through the phases, gathers its streamed intervals, and
 * notes when it stops answering (then what it sent so far is its part).
 */
import type { BackendResult } from '../../results/results.js';
import type { AgentClient } from './agent-client.js';
import type { JobPhase, JobRequest, StreamedInterval, WaitResponse, WaitUntil } from './agent-protocol.js';
import type { ClockOffset } from '../../results/host-part.js';
import { measureOffset } from './clock-offset.js';

/** A long poll's length: the agent answers by then even when nothing happened. */
const POLL_MS = 1_000;
const RETRY_MS = 250;
const hrtime = process.hrtime.bigint;

export class HostSession {
  phase: JobPhase = 'preparing';
  readonly intervals: StreamedInterval[] = [];
  result: BackendResult | undefined;
  /** Set when the agent stopped answering (or refused); the session is then over. */
  failure: string | undefined;
  /** When it was last heard from (coordinator hrtime). */
  lastHeardNs = hrtime();
  hostname = '';
  cores = 0;
  node = '';
  clock: ClockOffset = { offsetNs: 0, rttNs: 0, samples: 0 };

  constructor(
    readonly client: AgentClient,
    readonly request: JobRequest,
  ) {}

  get over(): boolean {
    return this.phase === 'done' || this.failure !== undefined;
  }

  async measureClock(): Promise<ClockOffset> {
    this.clock = await measureOffset(() => this.client.clockSample());
    return this.clock;
  }

  async start(): Promise<void> {
    const answer = await this.client.call<{ host: { hostname: string; cores: number; node: string } }>(
      '/jobs',
      this.request,
    );
    ({ hostname: this.hostname, cores: this.cores, node: this.node } = answer.host);
    this.lastHeardNs = hrtime();
  }

  /** Polls until the phase `until` names has come, the job ended, or the agent is gone. */
  async waitFor(until: WaitUntil, signal?: AbortSignal): Promise<void> {
    while (!this.over) {
      await this.poll(until);
      if (until === 'ready' && this.phase !== 'preparing') return;
      if (until === 'warmed' && (this.phase === 'warmed' || this.phase === 'measuring')) return;
      if (signal?.aborted && until !== 'done') return;
    }
  }

  /** Sends a barrier instant given in the coordinator's clock, translated into the agent's. */
  async barrier(which: 'release' | 'measure', coordinatorNs: bigint): Promise<void> {
    if (this.over) return;
    try {
      await this.client.call(`/jobs/${which}`, {
        jobId: this.request.jobId,
        atNs: String(coordinatorNs + BigInt(this.clock.offsetNs)),
      });
      this.phase = which === 'release' ? 'released' : 'measuring';
    } catch (error) {
      this.failure ??= `the agent stopped answering at the ${which} barrier (${(error as Error).message})`;
    }
  }

  async stop(): Promise<void> {
    if (this.over) return;
    await this.client.call('/jobs/stop', { jobId: this.request.jobId }).catch(() => {});
  }

  private async poll(until: WaitUntil): Promise<void> {
    const ask = (): Promise<WaitResponse> =>
      this.client.call<WaitResponse>(
        '/jobs/wait',
        { jobId: this.request.jobId, until, cursor: this.intervals.length, maxWaitMs: POLL_MS },
        POLL_MS + 30_000,
      );
    let answer: WaitResponse;
    try {
      answer = await ask();
    } catch {
      // Once more before giving the host up: a kept-alive socket the agent closed at that moment fails one request, not the host.
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      try {
        answer = await ask();
      } catch (error) {
        this.failure = `the agent stopped answering during the run (${(error as Error).message}); its finished intervals are kept`;
        return;
      }
    }
    this.lastHeardNs = hrtime();
    this.intervals.push(...answer.intervals);
    this.phase = answer.phase;
    if (answer.result) this.result = answer.result;
  }
}
