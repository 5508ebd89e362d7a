import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ownPackage } from '../../shared/package-info.js';
import { BackendUnavailableError } from '../backend.js';

/**
 * Where the Python backends' worker lives and which interpreter runs it.
 * Debian's python3-diskcache, python3-django and python3-redis install into
 * /usr/bin/python3, which a pyenv or venv python3 earlier on PATH does not
 * see; so /usr/bin/python3 is tried before PATH, after $CACHEBENCH_PYTHON.
 */

/** backends/python/worker.py of this installation: from the package root, which holds it both for the sources and for dist/ (package.json "files"). */
export function pythonWorkerScript(): string {
  const root = ownPackage()?.root;
  const fromRoot = root === undefined ? undefined : join(root, 'backends', 'python', 'worker.py');
  if (fromRoot !== undefined && existsSync(fromRoot)) return fromRoot;
  return join(dirname(fileURLToPath(import.meta.url)), 'worker.py');
}

function candidates(): string[] {
  const given = process.env.CACHEBENCH_PYTHON;
  return given ? [given] : ['/usr/bin/python3', 'python3'];
}

const found = new Map<string, string>();

/**
 * The first interpreter that imports `module`, or BackendUnavailableError with
 * one line naming the Debian package that brings it.
 */
export function findPython(backend: string, module: string, aptPackage: string): string {
  const cacheKey = `${candidates().join('\0')}\0${module}`;
  const known = found.get(cacheKey);
  if (known) return known;
  const tried: string[] = [];
  let ran = false;
  for (const python of candidates()) {
    const probe = spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 20_000 });
    if (probe.error) continue;
    ran = true;
    tried.push(python);
    if (probe.status === 0) {
      found.set(cacheKey, python);
      return python;
    }
  }
  const fix = `apt-get install ${aptPackage}${process.env.CACHEBENCH_PYTHON ? '' : ' (or set CACHEBENCH_PYTHON to a python3 that has it)'}`;
  if (!ran)
    throw new BackendUnavailableError(
      `${backend}: no python3 found (tried ${candidates().join(', ')}); apt-get install python3 ${aptPackage}`,
    );
  throw new BackendUnavailableError(`${backend}: ${tried.join(' and ')} cannot import ${module}; ${fix}`);
}

/** The command every Python backend's worker runs with. */
export function pythonCommand(spec: Record<string, unknown>): string[] {
  return [String(spec.python), '-B', '-u', String(spec.script)];
}
