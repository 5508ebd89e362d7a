import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findExecutable } from '../../../backends/servers/spawn-server.js';

const SOURCE = fileURLToPath(new URL('./io-log.c', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ShimBuild {
  /** The shared object to put in LD_PRELOAD, when built. */
  library?: string;
  /** Why there is none: no C compiler. */
  reason: string;
}

/**
 * Compiles io-log.c with the machine's C compiler into
 * node_modules/.cache/cachebench-power-loss/<source hash>/ (once per source
 * version). No compiler is a skip with the reason, a failure under CI=true.
 */
export function buildIoLogShim(): ShimBuild {
  const compiler = findExecutable('cc') ?? findExecutable('gcc');
  if (!compiler) {
    const reason =
      'no C compiler (cc or gcc) on PATH to build the power-loss I/O log shim; install one: apt-get install gcc';
    if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: a missing tool fails instead of skipping)`);
    console.warn(`SKIPPED: ${reason}`);
    return { reason };
  }
  const source = readFileSync(SOURCE);
  const dir = join(
    ROOT,
    'node_modules',
    '.cache',
    'cachebench-power-loss',
    createHash('sha256').update(source).digest('hex').slice(0, 16),
  );
  const library = join(dir, 'io-log.so');
  if (!existsSync(library)) {
    mkdirSync(dir, { recursive: true });
    // Built under a private name and renamed, so a concurrent run never loads half a file.
    const temp = `${library}.${process.pid}`;
    execFileSync(compiler, ['-shared', '-fPIC', '-O1', '-Wall', '-Werror', '-o', temp, SOURCE, '-ldl', '-lpthread'], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    renameSync(temp, library);
  }
  return { library, reason: '' };
}
