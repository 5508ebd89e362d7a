/** One load host's part of a backend's result in a run driven through agents (`run --agents`). */
import type { BackendResult } from '../results.js';
import type { ClockOffset } from './clock-offset.js';

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
