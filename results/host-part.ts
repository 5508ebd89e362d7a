/** One load host's part of a backend's result in a run driven through agents (`run --agents`). */
import type { BackendResult } from './results.js';

export interface HostPart {
  /** The agent as the coordinator named it (`HOST:PORT`). */
  agent: string;
  /** The agent's own hostname, cores and Node version. */
  hostname: string;
  cores: number;
  node: string;
  /** Its workers: `firstWorker` … `firstWorker + procs - 1` of the run's `run.procs`; each replays that worker's seeded operation stream. */
  firstWorker: number;
  procs: number;
  /** The agent's clock against the coordinator's; barrier instants were translated by `offsetNs`, so intervals align by index. */
  clock: ClockOffset;
  /** The host's own result, as the local harness summarised its workers (a host that died: what its finished intervals held). */
  result: BackendResult;
}

/** How far an agent's clock was from the coordinator's when the run started (harness/agents/clock-offset.ts measures it). */
export interface ClockOffset {
  /** Agent clock minus coordinator clock, ns: an agent instant is a coordinator instant plus this. */
  offsetNs: number;
  /** The kept sample's round trip, ns: the offset is within ±rttNs/2. */
  rttNs: number;
  samples: number;
}
