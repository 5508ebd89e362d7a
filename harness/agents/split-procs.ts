import { AgentError } from './agent-error.js';

/**
 * The run's processes dealt out to the agents as evenly as they go, the first
 * agents taking one more when they do not divide: agent i runs the workers
 * `firstWorker` … `firstWorker + procs - 1`, so together they are the workers
 * 0 … total-1 of a local run, each with that worker's operation stream.
 */
export function splitProcs(total: number, agents: number): { firstWorker: number; procs: number }[] {
  if (agents < 1) throw new AgentError('AGENT_MESSAGE_MALFORMED', '--agents names no agent; give HOST:PORT,…');
  if (total < agents)
    throw new AgentError(
      'AGENT_MESSAGE_MALFORMED',
      `--procs ${total} is fewer than the ${agents} agents; every agent runs at least one process (--procs is the total across agents)`,
    );
  const base = Math.floor(total / agents);
  const extra = total % agents;
  let firstWorker = 0;
  return Array.from({ length: agents }, (_, i) => {
    const procs = base + (i < extra ? 1 : 0);
    const share = { firstWorker, procs };
    firstWorker += procs;
    return share;
  });
}
