import { defineForeignBackend, type ForeignBackendFactory } from '../foreign/foreign-factory.js';
import { rejectUnknownOptions } from '../options.js';
import { provisionPython } from './provision-python.js';
import { pythonCommand } from './python-worker.js';

/**
 * An in-process Python dict behind the worker protocol: the floor of every
 * Python backend (the worker's loop, its clock pair, the batch), as `memory`
 * is the TypeScript harness's floor. Per process, like `memory`.
 */
export const pyDictFactory: ForeignBackendFactory = defineForeignBackend({
  name: 'py-dict',
  summary: "A Python dict in the worker process: the foreign worker protocol's own floor (per process, no durability).",
  options: {},
  validate: (options) => rejectUnknownOptions('py-dict', options, {}),
  provision: async (options, context) => {
    rejectUnknownOptions('py-dict', options, {});
    // Any python3 runs it: json is in the standard library.
    return provisionPython({
      backend: 'py-dict',
      module: 'json',
      aptPackage: 'python3',
      context,
      spec: { store: 'dict' },
      directory: false,
    });
  },
  worker: { command: pythonCommand, capabilities: ['incr', 'pop', 'add'] },
});
