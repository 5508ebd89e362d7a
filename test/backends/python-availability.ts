import { findPython } from '../../backends/python/python-worker.js';

/**
 * Whether the Python backends' tests can run here: a python3 that imports
 * `module` (Debian's python3-diskcache, python3-django, python3-redis). As for
 * servers (test/helpers/servers.ts): locally a visible skip naming the package,
 * under CI=true a failure, since CI installs them.
 */
export function pythonWith(module: string, aptPackage: string): { available: boolean; reason: string; python: string } {
  try {
    return { available: true, reason: '', python: findPython(`python ${module}`, module, aptPackage) };
  } catch (error) {
    const reason = (error as Error).message;
    if (process.env.CI === 'true')
      throw new Error(`${reason} (CI=true: a missing package fails instead of skipping)`, { cause: error });
    console.warn(`SKIPPED: ${reason}`);
    return { available: false, reason, python: '' };
  }
}
