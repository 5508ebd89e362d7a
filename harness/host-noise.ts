/**
 * Host-noise detection: while a backend runs, how much CPU did
 * processes outside the run use? Host busy time (/proc/stat) minus the run's
 * own processes (the parent, its workers, a locally started server), per
 * interval, in cores. A neighbour's compile job or a busy browser shows up
 * here, where it would otherwise show up only as unexplained tail latency.
 */
import type { HostNoise, NoiseSample } from '../results/results.js';
import { roundNoiseFigure, summarizeNoise, type TrackedProcess } from '../results/noise-summary.js';
import { readHostCpu, readProcessTicks, TICKS_PER_SECOND, type HostCpu } from './proc-stat.js';

export const DEFAULT_NOISE_THRESHOLD_CORES = 0.25;

export type { TrackedProcess };

interface Snapshot {
  atNs: bigint;
  host: HostCpu;
  /** The run's own ticks: the parent with its reaped children, plus every live tracked process. */
  own: number;
}

const hrtime = process.hrtime.bigint;

function snapshot(tracked: readonly TrackedProcess[]): Snapshot | undefined {
  const host = readHostCpu();
  if (!host) return undefined;
  let own = 0;
  // Totals, not per-process deltas: a worker that exits and is reaped moves its time into
  // the parent's cutime, so the sum stays continuous (see parseProcessTicks).
  for (const p of tracked) own += readProcessTicks(p.pid, p.role === 'parent') ?? 0;
  return { atNs: hrtime(), host, own };
}

function between(a: Snapshot, b: Snapshot, originNs: bigint): NoiseSample {
  const seconds = Number(b.atNs - a.atNs) / 1e9;
  const cores = (ticks: number): number => (seconds > 0 ? ticks / TICKS_PER_SECOND / seconds : 0);
  const runCores = cores(b.own - a.own);
  // Tick accounting of /proc/stat and /proc/<pid>/stat can disagree by a tick; never report negative use.
  const othersCores = Math.max(0, cores(b.host.busy - a.host.busy) - runCores);
  return {
    start: roundNoiseFigure(Number(a.atNs - originNs) / 1e9),
    seconds: roundNoiseFigure(seconds),
    othersCores: roundNoiseFigure(othersCores),
    runCores: roundNoiseFigure(runCores),
    stealCores: roundNoiseFigure(cores(b.host.steal - a.host.steal)),
  };
}

/** Whether this host exposes /proc/stat (Linux). Elsewhere noise is not measured and results say so. */
export function noiseMeasurable(): boolean {
  return readHostCpu() !== undefined;
}

/**
 * Samples others' CPU use at `originNs + k × intervalMs`, the same boundaries
 * as the harness's latency intervals, so a noisy sample names the interval
 * whose latencies it may have disturbed. Every run gets at least one sample:
 * start() takes a baseline at once and stop() a last snapshot, so a run that
 * ends before the first tick (a short one, or a late timer) is still recorded,
 * and shows as "not judged" rather than as no data.
 */
export class NoiseSampler {
  private readonly samples: NoiseSample[] = [];
  private last: Snapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private stopped = false;

  constructor(
    private readonly tracked: () => readonly TrackedProcess[],
    private readonly originNs: bigint,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    // A baseline now, not only at the origin's tick: synchronous work in the parent (taskset
    // calls for --pin) can leave libuv's cached clock stale, and a short run then ends first.
    this.last = snapshot(this.tracked());
    this.schedule(this.originNs);
  }

  private schedule(atNs: bigint): void {
    const delayMs = Math.max(0, Number(atNs - hrtime()) / 1e6);
    this.timer = setTimeout(() => this.tick(), delayMs);
  }

  private tick(): void {
    if (this.stopped) return;
    // At the origin the baseline moves there: the barrier's lead before it is not measured time.
    if (this.next === 0) this.last = snapshot(this.tracked()) ?? this.last;
    else this.take();
    this.next++;
    this.schedule(this.originNs + BigInt(Math.round(this.next * this.intervalMs * 1e6)));
  }

  private take(): void {
    const now = snapshot(this.tracked());
    if (!now) return;
    if (this.last) this.samples.push(between(this.last, now, this.originNs));
    this.last = now;
  }

  /** Ends sampling with a last (possibly short) sample; undefined only when /proc is not readable. */
  stop(thresholdCores: number): HostNoise | undefined {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.last) this.take();
    if (!this.last) return undefined;
    return summarizeNoise(this.samples, thresholdCores, this.tracked());
  }
}

/** Others' CPU use over the next `seconds`, with only `tracked` counted as ours (e.g. just the parent). */
export async function measureOthers(
  seconds: number,
  tracked: readonly TrackedProcess[] = [{ role: 'parent', pid: process.pid }],
): Promise<NoiseSample | undefined> {
  const a = snapshot(tracked);
  if (!a) return undefined;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const b = snapshot(tracked);
  return b ? between(a, b, a.atNs) : undefined;
}
