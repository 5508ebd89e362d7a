import { join } from 'node:path';
import type { BackendSpec, ProvisionContext, Provisioned } from '../backend.js';
import { findPython, pythonWorkerScript } from './python-worker.js';

export interface PythonProvision {
  backend: string;
  /** The module the store needs; its absence makes the backend unavailable. */
  module: string;
  aptPackage: string;
  context: ProvisionContext;
  /** The store's part of the spec (`store` picks the class in stores.py). */
  spec: BackendSpec;
  /** Keeps the store's files in a directory of the run's own. @default true */
  directory?: boolean;
}

/** Finds the interpreter and the worker script, and gives the store a directory of its own. */
export async function provisionPython(p: PythonProvision): Promise<Provisioned> {
  const python = findPython(p.backend, p.module, p.aptPackage);
  const directory = p.directory === false ? undefined : join(p.context.directory, 'store');
  return {
    spec: { ...p.spec, python, script: pythonWorkerScript(), ...(directory === undefined ? {} : { directory }) },
    ...(directory === undefined ? {} : { storagePath: p.context.directory }),
    // The files live in the run's directory, which the harness removes.
    teardown: async () => {},
  };
}
