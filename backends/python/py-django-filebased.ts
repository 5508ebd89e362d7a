import type { BackendOptions, OptionDoc } from '../backend.js';
import { defineForeignBackend, type ForeignBackendFactory } from '../foreign/foreign-factory.js';
import { integerOption, rejectUnknownOptions, secondsOption } from '../options.js';
import { BackendSpecError } from '../spec.js';
import { provisionPython } from './provision-python.js';
import { pythonCommand } from './python-worker.js';

const NAME = 'py-django-filebased';

/** Defaults as python-diskcache's tests/settings_benchmark.py configures `filebased` (not Django's own 300 and 3). */
const OPTIONS: Record<string, OptionDoc> = {
  max_entries: { description: 'MAX_ENTRIES: entries before Django culls', default: '1000' },
  cull_frequency: { description: 'CULL_FREQUENCY: a cull removes 1/N of the entries', default: '10' },
  timeout: {
    description: "TIMEOUT: seconds an entry lives, or none (Django's default, kept by the benchmark)",
    default: '300',
  },
};

function parse(options: BackendOptions): { max_entries: number; cull_frequency: number; timeout: number | null } {
  rejectUnknownOptions(NAME, options, OPTIONS);
  const cullFrequency = integerOption(NAME, 'cull_frequency', options.cull_frequency, 10);
  if (cullFrequency < 1)
    throw new BackendSpecError(
      `backend ${NAME}: option cull_frequency="${options.cull_frequency}" must be at least 1 (Django's 0 clears everything)`,
    );
  return {
    max_entries: integerOption(NAME, 'max_entries', options.max_entries, 1000),
    cull_frequency: cullFrequency,
    timeout: secondsOption(NAME, 'timeout', options.timeout, 300),
  };
}

/**
 * Django's own FileBasedCache (django.core.cache.backends.filebased, Debian
 * python3-django) in a Python worker, beside our `filebased` reproduction.
 * No incr: Django adds the delta to the stored object, and cachebench's values
 * are text, so incr would raise on every stored value; no pop: Django has none.
 */
export const pyDjangoFilebasedFactory: ForeignBackendFactory = defineForeignBackend({
  name: NAME,
  summary:
    "Django's own FileBasedCache (Debian python3-django), configured as python-diskcache's benchmark_djangocache, timed inside a Python worker process.",
  options: OPTIONS,
  validate: (options) => void parse(options),
  provision: async (options, context) =>
    provisionPython({
      backend: NAME,
      module: 'django',
      aptPackage: 'python3-django',
      context,
      spec: { store: 'django-filebased', ...parse(options) },
    }),
  worker: { command: pythonCommand, capabilities: ['expire', 'add', 'getMany', 'setMany', 'deleteMany'] },
});
