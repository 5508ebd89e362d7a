import type { Placement } from '../results/results.js';
import { applyPlacement, availableCpus, planPlacement, type PlacementRequest } from './cpu-placement.js';
import type { WorkerHandle } from './worker-handle.js';

/** Pins the workers (and a private server) as the request says; a placement that cannot be made here is recorded with its reason. */
export function placeWorkers(
  request: PlacementRequest,
  handles: readonly WorkerHandle[],
  serverPid: number | undefined,
): Placement {
  try {
    const plan = planPlacement(request, handles.length, availableCpus(), serverPid !== undefined);
    return applyPlacement(
      plan,
      handles.map((h) => h.child.pid),
      serverPid,
    );
  } catch (error) {
    // A placement that cannot be made here is recorded and reported; the run goes on unpinned.
    const mode = typeof request === 'object' ? 'explicit' : request;
    return {
      mode,
      method: 'taskset',
      requested: { workers: [] },
      applied: { workers: handles.map(() => null) },
      error: (error as Error).message,
    };
  }
}
