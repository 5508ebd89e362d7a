import type { OptionDoc } from '../backend.js';
import { defineForeignBackend, type ForeignBackendFactory } from '../foreign/foreign-factory.js';
import { DISKCACHE_SETTING_DOCS, parseDiskcacheOptions } from './diskcache-options.js';
import { provisionPython } from './provision-python.js';
import { pythonCommand } from './python-worker.js';

const OPTIONS: Record<string, OptionDoc> = {
  shards: { description: 'number of Cache shards', default: '8' },
  timeout: {
    description: 'seconds a shard waits for its lock; FanoutCache then answers a miss (set → False)',
    default: '0.010',
  },
  ...DISKCACHE_SETTING_DOCS,
};

/**
 * python-diskcache's FanoutCache in a Python worker. FanoutCache swallows its
 * own timeouts (get answers the default, set answers False), so here a timeout
 * shows as a miss, exactly as the original's callers see it; the `fanout`
 * backend counts them as timeouts too.
 */
export const pyFanoutFactory: ForeignBackendFactory = defineForeignBackend({
  name: 'py-fanout',
  summary:
    "python-diskcache's own FanoutCache (shards, timeout, diskcache settings), timed inside a Python worker process.",
  options: OPTIONS,
  validate: (options) => void parseDiskcacheOptions('py-fanout', options, OPTIONS, true),
  provision: async (options, context) => {
    const parsed = parseDiskcacheOptions('py-fanout', options, OPTIONS, true);
    return provisionPython({
      backend: 'py-fanout',
      module: 'diskcache',
      aptPackage: 'python3-diskcache',
      context,
      spec: {
        store: 'fanout',
        shards: parsed.shards!,
        timeout: parsed.timeout,
        settings: JSON.stringify(parsed.settings),
      },
    });
  },
  worker: { command: pythonCommand, capabilities: ['expire', 'incr', 'pop', 'add'] },
});
