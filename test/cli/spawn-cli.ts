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

/** Starts `cachebench ARGS` as a real process (tsx loader added for the .ts sources), collecting its output. */
export function spawnCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): RunningCli {
  const child = forkModule(CLI_MAIN, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], cwd: options.cwd, env: { ...process.env, ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<CliExit>((done) => child.on('exit', (code, signal) => done({ code, signal, stdout, stderr })));
  return { child, stderr: () => stderr, exit };
}

/** Runs `cachebench ARGS` to its end. */
export function runCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliExit> {
  return spawnCli(args, { cwd, env }).exit;
}
