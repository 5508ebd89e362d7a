import type { ChildProcess } from 'node:child_process';
import { afterEach } from 'vitest';
import { forkModule, siblingModule } from '../../harness/fork-module.js';

/**
 * Another real process holding a cache's SQLite write lock (fixtures/hold-write-lock), for tests of how
 * writers wait. Every child a test started is killed after it.
 */
const holders: ChildProcess[] = [];
afterEach(() => {
  for (const child of holders.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Kills these children after the current test, if they are still running. */
export function killAfterTest(...children: ChildProcess[]): void {
  holders.push(...children);
}

/** Another process holds the write lock of `db` for `ms`, then releases it; resolves once it has it. */
export function holdWriteLock(db: string, ms: number): Promise<ChildProcess> {
  const child = forkModule(siblingModule(import.meta.url, 'fixtures/hold-write-lock'), [db, String(ms)]);
  killAfterTest(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code}) before taking the lock`)));
  });
}
