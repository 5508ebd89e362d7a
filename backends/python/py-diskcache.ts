import type { OptionDoc } from '../backend.js';
import { defineForeignBackend, type ForeignBackendFactory } from '../foreign/foreign-factory.js';
import { DISKCACHE_SETTING_DOCS, parseDiskcacheOptions } from './diskcache-options.js';
import { provisionPython } from './provision-python.js';
import { pythonCommand } from './python-worker.js';

const OPTIONS: Record<string, OptionDoc> = {
  timeout: { description: 'seconds SQLite waits for a lock before diskcache raises Timeout', default: '60' },
  ...DISKCACHE_SETTING_DOCS,
};

/** python-diskcache's Cache, run by a Python worker process (the original the `sqlite` backend reproduces). */
export const pyDiskcacheFactory: ForeignBackendFactory = defineForeignBackend({
  name: 'py-diskcache',
  summary: "python-diskcache's own Cache (Debian python3-diskcache), timed inside a Python worker process.",
  options: OPTIONS,
  validate: (options) => void parseDiskcacheOptions('py-diskcache', options, OPTIONS, false),
  provision: async (options, context) => {
    const parsed = parseDiskcacheOptions('py-diskcache', options, OPTIONS, false);
    return provisionPython({
      backend: 'py-diskcache',
      module: 'diskcache',
      aptPackage: 'python3-diskcache',
      context,
      spec: { store: 'diskcache', timeout: parsed.timeout, settings: JSON.stringify(parsed.settings) },
    });
  },
  worker: { command: pythonCommand, capabilities: ['expire', 'incr', 'pop', 'add'] },
});
