import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { filesystemOf } from './filesystem.js';
import { ownPackage, packageVersion } from '../shared/package-info.js';
import type { Environment } from '../results/results.js';
import { firstLine } from '../shared/first-line.js';

/** Where the run happened, so results from different machines are never compared blindly. */
export function captureEnvironment(): Environment {
  const cpus = os.cpus();
  const environment: Environment = {
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    osRelease: os.release(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    sqlite: sqliteVersion(),
    cachebench: packageVersion(),
    hostname: os.hostname(),
  };
  const revision = gitRevision();
  if (revision) environment.gitRevision = revision;
  // What else changes a latency figure. Each is left out when this system does not expose it.
  const governor = readText('/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor');
  if (governor) environment.cpuGovernor = governor;
  const mhz = cpuMHz();
  if (mhz !== undefined) environment.cpuMHz = mhz;
  if (typeof os.version === 'function') environment.kernelVersion = os.version();
  // Backends keep their files in a fresh directory under the OS temp dir (run-backend.ts).
  const filesystem = filesystemOf(os.tmpdir());
  if (filesystem) environment.cacheFilesystem = filesystem;
  return environment;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The current clock of the first CPU: cpufreq when present, else /proc/cpuinfo's `cpu MHz` (VMs often report only that). */
function cpuMHz(): number | undefined {
  const khz = Number(readText('/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq'));
  if (khz > 0) return Math.round(khz / 1000);
  const match = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readText('/proc/cpuinfo') ?? '');
  return match ? Math.round(Number(match[1])) : undefined;
}

function sqliteVersion(): string {
  try {
    // createRequire keeps better-sqlite3 (a native module) out of the import graph of runs that never touch it.
    const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => {
      prepare(sql: string): { pluck(): { get(): unknown } };
      close(): void;
    };
    const db = new Database(':memory:');
    try {
      return String(db.prepare('select sqlite_version()').pluck().get());
    } finally {
      db.close();
    }
  } catch (error) {
    return `unavailable (${firstLine((error as Error).message)})`;
  }
}

function gitRevision(): string | undefined {
  const packageRoot = ownPackage()?.root;
  return packageRoot ? gitRevisionAt(packageRoot) : undefined;
}

/** The checked-out revision of the repository whose top level is `packageRoot` (`-dirty` with local changes). */
export function gitRevisionAt(packageRoot: string): string | undefined {
  try {
    // Only when the package folder is itself a repository's top level: cachebench installed
    // under node_modules of some other project must not record that project's revision.
    const top = execFileSync('git', ['rev-parse', '--show-toplevel'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    })
      .toString()
      .trim();
    if (realpathSync(top) !== realpathSync(packageRoot)) return undefined;
    const revision = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    })
      .toString()
      .trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: packageRoot,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
    })
      .toString()
      .trim();
    return dirty ? `${revision}-dirty` : revision;
  } catch {
    return undefined;
  }
}
