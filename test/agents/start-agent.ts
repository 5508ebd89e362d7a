import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkModule } from '../../harness/fork-module.js';
import { CLI_MAIN } from '../cli/spawn-cli.js';

export interface RunningAgent {
  child: ChildProcess;
  address: string;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the agent's log has a line matching `pattern`. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A secret file in a fresh folder, as `--secret-file` and `--agent-secret-file` read it. */
export function secretFile(secret: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'cachebench-agent-test-')), 'secret');
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return path;
}

/** Starts `cachebench agent --listen 127.0.0.1:0 ARGS` as a real process and waits for its address. */
export async function startAgent(args: readonly string[]): Promise<RunningAgent> {
  const env = { ...process.env };
  delete env.CACHEBENCH_AGENT_SECRET;
  const child = forkModule(CLI_MAIN, ['agent', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env,
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    listeners.forEach((l) => l());
  });
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    listeners.forEach((l) => l());
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const waitFor = (check: () => boolean, what: string, timeoutMs: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`agent: no ${what} within ${timeoutMs} ms; stdout ${stdout} stderr ${stderr}`)),
        timeoutMs,
      );
      const listener = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve();
      };
      listeners.add(listener);
      listener();
    });
  await waitFor(() => /listening on \S+/.test(stdout), 'listening line', 60_000);
  const address = /listening on (\S+)/.exec(stdout)![1]!;
  return {
    child,
    address,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForLog: (pattern, timeoutMs = 60_000) => waitFor(() => pattern.test(stderr), `log line ${pattern}`, timeoutMs),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
