import type { BackendFactory, BackendSpec, Capability } from '../backend.js';
import { ForeignBackend } from './foreign-backend.js';

/** How the harness starts a backend's worker process in another language (docs/worker-protocol.md). */
export interface ForeignWorkerDeclaration {
  /** Program and arguments that start one worker process for this spec. */
  command(spec: BackendSpec): string[];
  /** The store's capabilities; the worker's `opened` message must list the same. */
  capabilities: readonly Capability[];
}

/**
 * A backend whose operations run in a foreign worker process. The harness
 * forks its foreign driver for it instead of the TypeScript worker; `create`
 * still returns a Backend (one untimed round trip per call) for tools and the
 * conformance tests.
 */
export interface ForeignBackendFactory extends BackendFactory {
  worker: ForeignWorkerDeclaration;
}

export function isForeignFactory(factory: BackendFactory): factory is ForeignBackendFactory {
  const worker = (factory as Partial<ForeignBackendFactory>).worker;
  return typeof worker === 'object' && worker !== null && typeof worker.command === 'function';
}

/** A factory from its parts: `create` opens the declared worker command for each Backend. */
export function defineForeignBackend(parts: Omit<ForeignBackendFactory, 'create'>): ForeignBackendFactory {
  const factory: ForeignBackendFactory = {
    ...parts,
    create: (spec, label, context) =>
      new ForeignBackend(factory.name, factory.worker, spec, label ?? factory.name, context),
  };
  return factory;
}

/** The worker module a run forks for this factory, as a stem beside harness/worker-handle.ts. */
export function workerModuleFor(factory: BackendFactory): string {
  return isForeignFactory(factory) ? 'foreign/foreign-worker' : 'worker';
}
