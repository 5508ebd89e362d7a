import type { BackendFactory } from './backend.js';
import { memoryFactory } from './memory.js';
import { BackendSpecError } from './spec.js';

/**
 * Every backend by name. The harness and CLI look factories up here and never
 * ask which backend they hold. Add a backend by adding one line.
 */
export const BACKENDS: ReadonlyMap<string, BackendFactory> = new Map<string, BackendFactory>(
  [memoryFactory].map((factory) => [factory.name, factory]),
);

/** The backends `--backends all` and the default run use, in display order. */
export const DEFAULT_BACKENDS: readonly string[] = ['memory'];

export function getBackendFactory(name: string): BackendFactory {
  const factory = BACKENDS.get(name);
  if (!factory) {
    throw new BackendSpecError(`unknown backend "${name}"; known backends: ${[...BACKENDS.keys()].join(', ')}`);
  }
  return factory;
}
