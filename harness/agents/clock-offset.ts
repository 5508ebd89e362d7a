/**
 * How far an agent's clock is from the coordinator's, NTP-style: each sample
 * is one round trip (sent, the agent's reading, received); the agent read its
 * clock somewhere inside the round trip, so the midpoint estimate is off by at
 * most half the round trip. The sample with the shortest round trip bounds the
 * error best, and is the one kept.
 */
import type { ClockOffset } from '../../results/host-part.js';

export interface ClockSample {
  sentNs: bigint;
  agentNs: bigint;
  receivedNs: bigint;
}

export const CLOCK_SAMPLES = 8;

export function offsetFromSamples(samples: readonly ClockSample[]): ClockOffset {
  if (samples.length === 0) throw new Error('offsetFromSamples needs at least one sample');
  let best = samples[0]!;
  for (const sample of samples) if (sample.receivedNs - sample.sentNs < best.receivedNs - best.sentNs) best = sample;
  const rtt = best.receivedNs - best.sentNs;
  const midpoint = best.sentNs + rtt / 2n;
  return { offsetNs: Number(best.agentNs - midpoint), rttNs: Number(rtt), samples: samples.length };
}

/** Takes `count` samples one after another and keeps the shortest round trip's. */
export async function measureOffset(sample: () => Promise<ClockSample>, count = CLOCK_SAMPLES): Promise<ClockOffset> {
  const samples: ClockSample[] = [];
  for (let i = 0; i < count; i++) samples.push(await sample());
  return offsetFromSamples(samples);
}
