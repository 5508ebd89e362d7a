/** The shared clock of a run: when a worker starts (the barrier instants) and which interval an instant falls in. */
const hrtime = process.hrtime.bigint;

/**
 * Sleeps, then spins the last stretch, until `atNs`: a barrier time the parent
 * sent to every worker. Timers wake late by up to a millisecond or two, so the
 * last 1.5 ms are spun to start every worker at its own reading of that instant.
 */
export async function waitUntil(atNs: bigint): Promise<void> {
  const waitMs = Number(atNs - hrtime()) / 1e6;
  if (waitMs > 2) await new Promise((resolve) => setTimeout(resolve, waitMs - 1.5));
  while (hrtime() < atNs) {
    // spin the last stretch
  }
}

/** The whole intervals from `start` to `now`, and where the interval holding `now` ends. */
export function intervalAt(now: bigint, start: bigint, intervalNs: bigint): { index: number; end: bigint } {
  const index = Number((now - start) / intervalNs);
  return { index, end: start + intervalNs * BigInt(index + 1) };
}
