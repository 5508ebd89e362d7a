import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Environment } from './results.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

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
  return environment;
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
    return `unavailable (${(error as Error).message.split('\n')[0]})`;
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function gitRevision(): string | undefined {
  try {
    const revision = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }).toString().trim();
    return dirty ? `${revision}-dirty` : revision;
  } catch {
    return undefined;
  }
}
