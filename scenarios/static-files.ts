import type { Scenario } from './scenario.js';

/**
 * Serving large files from the cache: values of 64 KiB – 4 MiB, half read
 * whole with get, half streamed through `read()`, so the two paths compare in
 * one run.
 */
export const staticFiles: Scenario = {
  name: 'static-files',
  description: 'large values (64 KiB – 4 MiB): get vs read() streams',
  capabilities: ['read'],
  keys: { count: 8, prefix: 'file:', distribution: { kind: 'uniform' } },
  values: { kind: 'bytes', minBytes: 64 * 1024, maxBytes: 4 * 1024 * 1024 },
  mix: { get: 0.45, read: 0.45, set: 0.1 },
  preload: true,
  sizes: { procs: 4, opsPerProcess: 2_000, warmupOps: 20 },
  quick: { procs: 2, opsPerProcess: 200, warmupOps: 10 },
  notes: '--param minBytes=N maxBytes=N keys=N',
};
