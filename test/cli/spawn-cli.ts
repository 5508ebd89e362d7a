import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkModule } from '../../harness/fork-module.js';

export const CLI_MAIN = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  child: ChildProcess;
  /** What it has written to stderr so far. */
  stderr: () => string;
  exit: Promise<CliExit>;
}

/**
 * Starts `cachebench ARGS` as a real process (tsx loader added for the .ts sources), collecting its output.
 * `detached` gives it its own process group, so a test can send Ctrl-C's SIGINT to the CLI and its workers.
 */
export function spawnCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; detached?: boolean },
): RunningCli {
  const child = forkModule(CLI_MAIN, args, {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: options.detached === true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': 'exit' may come before the last of stdout/stderr has been read.
  const exit = new Promise<CliExit>((done) =>
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr })),
  );
  return { child, stderr: () => stderr, exit };
}

/** Runs `cachebench ARGS` to its end. */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliExit> {
  return spawnCli(args, { cwd, env }).exit;
}
